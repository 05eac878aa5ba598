"""proofs: machine-checked claims of course material.

Everything a claim module needs is importable from here, and only the names in `__all__` are public. The modules
under `proofs` (`proofs.interpret`, `proofs.solvers.*`, `proofs.runner`, ...) are the engine's internals: their
names can change between minor versions, as pytest keeps `_pytest` and Hypothesis `strategies/_internal`.
"""

__version__ = "0.11.0"

import importlib  # noqa: E402

from proofs.errors import InvalidClaim, PackError, ProofsError, UsageError  # noqa: E402
from proofs.model import (  # noqa: E402
    Anchor, Claim, Correction, Erratum, ForgedWitness, Lemma, Outcome, Perturbation, Placeholder, Replay, Result, Row, Table, claim,
    event, expect, note, todo,
)
from proofs.verdicts import ExitCode, Status, Verdict, classify  # noqa: E402
from proofs.domains import OUTSIDE, Bit, Domain, Indexed, Int, Interval, IntRange, Matrix, Nat, OneOf, Positive, Real, Vector, exact_number  # noqa: E402
from proofs.statement import exists, forall  # noqa: E402
from proofs.importing import collect  # noqa: E402
from proofs.terms import const, diff, dot, exp, implies, ite, log, matmul, maximum, minimum, relu, sigmoid, sqrt, summation, tanh  # noqa: E402
from proofs.terms import Recurrence, always, recurrence  # noqa: E402
# Statements: the term language's further forms (proofs.terms, proofs.statement).
from proofs.terms import every, limit, oo, softplus, some, unique  # noqa: E402
# Statements over every differentiable function (proofs.uninterpreted).
from proofs.uninterpreted import Function  # noqa: E402
# Statements over matrices and vectors of symbolic size (proofs.sized).
from proofs.sized import (  # noqa: E402
    ColumnVector, Diagonal, MatrixSequence, Orthogonal, SquareMatrix, ZeroOneDiagonal, backward, given, identity_matrix, mprod, norm,
    nprod,
)
# Statements over vectors and matrices of independent symbolic sizes (proofs.shaped).
from proofs.shaped import Distributions, IndexOf, Size, concat, elementwise, number, onehot, softmax  # noqa: E402
from proofs.shaped_blocks import eye, outer, stacked_column_ones, stacked_identities, vec  # noqa: E402

# The answer helpers and the solver calls of the lower-level form, imported on first use (they load z3 and sympy,
# which `import proofs` alone does not): public name -> (internal module, name there).
_LAZY = {
    **{name: ("proofs.interpret", name) for name in (
        "validity", "existence", "identity", "exhausted", "sampled", "experiment", "computed", "combine",
        "corroborated", "disagreement", "undecided", "quantified")},
    # `proofs.annotated` is the annotated sheet's module, so the helper is public as `annotate`.
    "annotate": ("proofs.interpret", "annotated"),
    "SmtAnswer": ("proofs.solvers.smt", "SmtAnswer"),
    "prove": ("proofs.solvers.smt", "prove"),
    "solve": ("proofs.solvers.smt", "solve"),
    "IdentityAnswer": ("proofs.solvers.symbolic", "IdentityAnswer"),
    "symbolic_identity": ("proofs.solvers.symbolic", "identity"),
    "ExhaustAnswer": ("proofs.solvers.enumerate", "ExhaustAnswer"),
    "exhaust": ("proofs.solvers.enumerate", "exhaust"),
    "SampleAnswer": ("proofs.solvers.sampling", "SampleAnswer"),
    "sample": ("proofs.solvers.sampling", "sample"),
    "PairedTest": ("proofs.solvers.experiment", "PairedTest"),
    "paired_test": ("proofs.solvers.experiment", "paired_test"),
    "Constraint": ("proofs.solvers.linear", "Constraint"),
    "feasible": ("proofs.solvers.linear", "feasible"),
    "to_z3": ("proofs.solvers.bridge", "to_z3"),
    # Exact matrices over the rationals (lists of rows): products, operator norms, inverses, orthogonal matrices.
    "matrices": ("proofs.solvers.matrices", None),
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'proofs' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = importlib.import_module(module)
    value = value if attribute is None else getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "__version__",
    # Writing a claim as a statement (proofs.statement, proofs.domains, proofs.terms).
    "forall", "exists", "Correction", "Lemma", "Row", "Table", "note", "event", "collect",
    "Real", "Int", "Nat", "Positive", "Bit", "Interval", "IntRange", "OneOf", "Vector", "Matrix", "Indexed",
    "Domain", "OUTSIDE", "exact_number",
    "const", "diff", "exp", "log", "tanh", "sigmoid", "sqrt", "relu", "maximum", "minimum", "ite", "implies", "dot", "matmul", "summation",
    "recurrence", "Recurrence", "always",
    # The lower-level form: solver calls (neutral answers) and the helpers that turn an answer into an outcome.
    "prove", "solve", "SmtAnswer", "symbolic_identity", "IdentityAnswer", "exhaust", "ExhaustAnswer", "sample",
    "SampleAnswer", "paired_test", "PairedTest", "feasible", "Constraint", "to_z3", "matrices",
    "validity", "existence", "identity", "exhausted", "sampled", "experiment", "computed", "combine", "corroborated",
    "disagreement", "undecided", "annotate", "quantified",
    # Statements: the term language's further forms.
    "softplus", "some", "every", "unique",
    "limit", "oo",
    # Statements over every differentiable function.
    "Function",
    # Statements over matrices and vectors of symbolic size.
    "SquareMatrix", "ColumnVector", "Orthogonal", "Diagonal", "ZeroOneDiagonal", "MatrixSequence", "mprod", "nprod", "backward",
    "norm", "given", "identity_matrix",
    # Statements over vectors and matrices of independent symbolic sizes.
    "Size", "IndexOf", "Distributions", "onehot", "concat", "elementwise", "softmax", "number",
    "eye", "stacked_identities", "stacked_column_ones", "outer", "vec",
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
