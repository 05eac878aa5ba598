"""proofs: machine-checked claims of course material."""

__version__ = "0.1.0"

from proofs.errors import InvalidClaim, PackError, ProofsError, UsageError  # noqa: E402
from proofs.model import Claim, Erratum, ForgedWitness, Outcome, Perturbation, Replay, Result, claim, expect  # noqa: E402
from proofs.verdicts import ExitCode, Status, Verdict, classify  # noqa: E402

__all__ = [
    "__version__",
    "Claim",
    "Erratum",
    "ExitCode",
    "ForgedWitness",
    "InvalidClaim",
    "Outcome",
    "PackError",
    "Perturbation",
    "ProofsError",
    "Replay",
    "Result",
    "Status",
    "UsageError",
    "Verdict",
    "claim",
    "classify",
    "expect",
]
