"""Report writers: the terminal text report and the versioned JSON report."""

from __future__ import annotations

import json
import os
import platform
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence, TextIO

from proofs.model import Result
from proofs.verdicts import Status

__all__ = ["SCHEMA", "tool_versions", "summary", "json_report", "TextReporter", "write_atomically", "use_colour", "format_values"]

SCHEMA = "proofs-report/1"

_COLOURS = {Status.PASS: "32", Status.ERRATUM: "33", Status.FAIL: "31"}


def tool_versions() -> dict[str, str]:
    import sympy
    import z3

    from proofs import __version__

    return {"proofs": __version__, "python": platform.python_version(), "z3": z3.get_version_string(), "sympy": sympy.__version__}


def summary(results: Sequence[Result], seconds: float) -> dict[str, Any]:
    counts = {s.value: 0 for s in Status}
    for r in results:
        counts[r.status.value] += 1
    return {"total": len(results), **counts, "seconds": round(seconds, 3)}


def json_report(results: Sequence[Result], seconds: float, *, interrupted: bool = False) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": tool_versions(),
        "summary": summary(results, seconds),
        "interrupted": interrupted,
        "results": [r.to_json() for r in results],
    }


def write_atomically(path: Path, text: str) -> None:
    """Write the whole file or leave what was there: write beside it, then rename over it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
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


def format_values(values: Mapping[str, Any]) -> str:
    """`a = 1, b = 1/2` with every value, nested mappings flattened with dotted names."""
    parts = []
    for key, value in values.items():
        if isinstance(value, Mapping):
            parts.append(format_values({f"{key}.{k}": v for k, v in value.items()}))
        else:
            parts.append(f"{key} = {json.dumps(value) if isinstance(value, str) and not value else value}")
    return ", ".join(parts)


class TextReporter:
    """Writes one line per result, details for refuted and failing ones, and a closing summary."""

    def __init__(self, stream: TextIO, *, verbosity: int = 0, colour: bool = False, rerun: str = "python -m proofs check"):
        self.stream = stream
        self.verbosity = verbosity
        self.colour = colour
        self.rerun = rerun
        self.width = 48

    def _paint(self, text: str, status: Status) -> str:
        return f"\x1b[{_COLOURS[status]}m{text}\x1b[0m" if self.colour else text

    def result(self, r: Result) -> None:
        if self.verbosity < 0 and r.status is Status.PASS:
            return
        status = self._paint(f"{r.status.value:<8}", r.status)
        self.stream.write(f"{r.id:<{self.width}} {r.verdict.value:<11} {status} {r.seconds:6.2f}s\n")
        for line in self.details(r):
            self.stream.write(f"    {line}\n")
        self.stream.flush()

    def details(self, r: Result) -> Iterable[str]:
        show = r.status is not Status.PASS or r.verdict.value == "refuted" or self.verbosity > 0
        if not show:
            return
        if r.status is Status.FAIL or self.verbosity > 0:
            yield f"reason: {r.reason}"
        if r.erratum:
            yield f"erratum: {r.erratum}"
        ev = r.evidence
        if "counterexample" in ev:
            yield f"counterexample: {format_values(ev['counterexample'])}"
        if "replay" in ev and ev["replay"].get("sides"):
            yield f"evaluated: {format_values(ev['replay']['sides'])}"
        if self.verbosity > 0:
            if "witness" in ev:
                yield f"witness: {format_values(ev['witness'])}"
            for key, value in ev.items():
                if key not in ("counterexample", "witness", "replay"):
                    yield f"{key}: {json.dumps(value, sort_keys=False) if not isinstance(value, str) else value}"
            for a in r.assumptions:
                yield f"assumes: {a}"
        yield f"rerun: {self.rerun} {r.id.split('~')[0]}"

    def summary(self, results: Sequence[Result], seconds: float, interrupted: bool = False) -> None:
        s = summary(results, seconds)
        head = "interrupted: " if interrupted else ""
        line = f"{head}{s['total']} claims: {s['pass']} pass, {s['erratum']} erratum, {s['fail']} fail in {seconds:.2f}s"
        worst = Status.FAIL if s["fail"] or interrupted else (Status.ERRATUM if s["erratum"] else Status.PASS)
        self.stream.write(self._paint(line, worst) + "\n")
