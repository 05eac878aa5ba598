"""What every report shares: tool versions, atomic file writes and the colour decision."""

from __future__ import annotations

import os
import platform
import shlex
import tempfile
from pathlib import Path
from typing import Mapping, Optional, Sequence, TextIO

__all__ = ["tool_versions", "write_atomically", "use_colour", "rerun_prefix"]


def rerun_prefix(claims: Sequence[Path] = (), material: Optional[Path] = None) -> str:
    """The command that reruns claims loaded as this run loaded them, without the claim ids."""
    return " ".join(["python -m proofs check", *(f"--claims {shlex.quote(str(p))}" for p in claims),
                     *([f"--material {shlex.quote(str(material))}"] if material is not None else [])])


def tool_versions() -> dict[str, str]:
    import sympy
    import z3

    from proofs import __version__

    return {"proofs": __version__, "python": platform.python_version(), "z3": z3.get_version_string(), "sympy": sympy.__version__}


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or leave what was there: write beside it, then rename over it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(tmp, 0o666 & ~mask)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def use_colour(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything non-empty."""
    if environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
