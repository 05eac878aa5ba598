"""proofs: machine-checked claims of course material."""

__version__ = "0.2.0"

from proofs.errors import InvalidClaim, PackError, ProofsError, UsageError  # noqa: E402
from proofs.model import (  # noqa: E402
    Anchor, Claim, Correction, Erratum, ForgedWitness, Lemma, Outcome, Perturbation, Placeholder, Replay, Result, Row, Table, claim,
    event, expect, note, todo,
)
from proofs.verdicts import ExitCode, Status, Verdict, classify  # noqa: E402
from proofs.domains import Bit, Indexed, Int, Interval, IntRange, Matrix, Nat, OneOf, Positive, Real, Vector  # noqa: E402
from proofs.statement import exists, forall  # noqa: E402
from proofs.importing import collect  # noqa: E402
from proofs.terms import diff, dot, exp, implies, ite, log, matmul, maximum, minimum, relu, sigmoid, sqrt, summation, tanh  # noqa: E402
# Statements: the term language's further forms (proofs.terms, proofs.statement).
from proofs.terms import every, softplus, some, unique  # noqa: E402

__all__ = [
    "__version__",
    # Writing a claim as a statement (proofs.statement, proofs.domains, proofs.terms).
    "forall", "exists", "Correction", "Lemma", "Row", "Table", "note", "event", "collect",
    "Real", "Int", "Nat", "Positive", "Bit", "Interval", "IntRange", "OneOf", "Vector", "Matrix", "Indexed",
    "diff", "exp", "log", "tanh", "sigmoid", "sqrt", "relu", "maximum", "minimum", "ite", "implies", "dot", "matmul", "summation",
    # Statements: the term language's further forms.
    "softplus", "some", "every", "unique",
    # The claim model and the lower-level API.
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
