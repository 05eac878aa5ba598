"""proofs: machine-checked claims of course material."""

__version__ = "0.1.0"

from proofs.errors import InvalidClaim, PackError, ProofsError, UsageError  # noqa: E402
from proofs.model import Claim, Erratum, Outcome, Perturbation, Replay, Result, claim  # noqa: E402
from proofs.verdicts import ExitCode, Status, Verdict, classify  # noqa: E402

__all__ = [
    "__version__",
    "Claim",
    "Erratum",
    "ExitCode",
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
]
