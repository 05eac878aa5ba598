"""proofs: machine-checked claims of course material."""

__version__ = "0.1.0"

from proofs.errors import InvalidClaim, PackError, ProofsError, UsageError  # noqa: E402
from proofs.model import (  # noqa: E402
    Anchor, Claim, Erratum, ForgedWitness, Outcome, Perturbation, Placeholder, Replay, Result, claim, expect, todo,
)
from proofs.verdicts import ExitCode, Status, Verdict, classify  # noqa: E402

__all__ = [
    "__version__",
    "Anchor",
    "Claim",
    "Erratum",
    "ExitCode",
    "ForgedWitness",
    "InvalidClaim",
    "Outcome",
    "PackError",
    "Perturbation",
    "Placeholder",
    "ProofsError",
    "Replay",
    "Result",
    "Status",
    "UsageError",
    "Verdict",
    "claim",
    "classify",
    "expect",
    "todo",
]
