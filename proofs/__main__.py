"""`python -m proofs`: the same as the `proofs` console script, whatever folders the working directory holds."""

import os
import sys


def _unshadow() -> None:
    """`python -m` puts the working directory first on the import path, so a folder there named `proofs` (with no
    __init__.py) becomes a namespace package in place of this one. Import the engine again without that entry."""
    package = sys.modules.get("proofs")
    here = os.path.dirname(os.path.abspath(__file__))
    if package is not None and os.path.dirname(os.path.abspath(getattr(package, "__file__", None) or "/")) == here:
        return
    cwd = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".") and os.path.abspath(p) != cwd]
    for name in [m for m in sys.modules if m == "proofs" or m.startswith("proofs.")]:
        del sys.modules[name]


_unshadow()

from proofs.cli import main  # noqa: E402

sys.exit(main())
