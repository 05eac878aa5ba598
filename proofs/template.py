"""`proofs new`: a commented claim module to fill in, which fails clearly until every todo(...) is filled."""

from __future__ import annotations

import re
from pathlib import Path

from proofs.errors import UsageError
from proofs.model import ID_PATTERN

__all__ = ["render", "write", "module_name"]

_TEMPLATE = '''"""Claim {id}. Fill in each placeholder below, then run `python -m proofs check {id} --claims DIR`."""

from proofs import Correction, Real, forall, todo  # noqa: F401 - Correction: see below

# The material file this claim checks, relative to the directory given to `check --material DIR`.
MATERIAL = todo("the material file, e.g. 'week8/sheet.md'")


# The claim is written once, as the statement to decide. Each quantified variable carries its domain (x: Real; also
# Int, Nat, Positive, Bit, Interval(0, 1), IntRange(0, 9), OneOf(...), Vector(Real, 3), Matrix(Real, 2, 2)); each
# value the material states is a keyword parameter whose default is the printed value (rename and add parameters to
# fit your claim). The body returns the relation, in ordinary arithmetic (+ - * / **, diff, exp, log, relu, ...).
# The engine decides it (enumeration, z3 or sympy), prints it in every report and replays any counterexample
# exactly, after checking it lies in the domains.
@forall(
    "{id}",
    todo("the claim in your own words"),
    # The snippet of the material the claim relies on, as printed; `check --material DIR` fails the claim when it is
    # no longer there.
    cites=(MATERIAL, todo("a short snippet the claim relies on, as the material prints it")),
    # A wrong variant the checker must refute (`python -m proofs mutants`): new values for some stated values.
    perturb={{"wrong_value": todo("one wrong variant as a dict replacing a stated value, e.g. {{'middle': 5}}")}},
    # If the material's statement is wrong, keep it as printed and add the correction: a corrected claim
    # ({id}_corrected) is made from the same statement with the corrected values and must pass, and the printed
    # values become its mutant.
    # erratum=Correction("why the printed statement fails", "the corrected statement", {{"middle": 4}}),
)
def {function}(x: Real, b=todo("a stated value, e.g. 2 in (x + 2)^2 = x^2 + 4x + 4"),
               middle=todo("another stated value, e.g. 4 in (x + 2)^2 = x^2 + 4x + 4")):
    return todo("the relation, e.g. (x + b) ** 2 == x ** 2 + middle * x + b ** 2")


CLAIMS = ({function},)
'''


def module_name(claim_id: str) -> str:
    return claim_id.replace(".", "_")


def render(claim_id: str) -> str:
    if not ID_PATTERN.fullmatch(claim_id):
        raise UsageError(f"new: {claim_id!r} is not a claim id: [namespace.]ex<N>.<part>.<slug>, e.g. week8.ex1.a.binomial")
    function = re.sub(r"^[^a-z_]+", "", claim_id.split(".")[-1]) or "check"
    return _TEMPLATE.format(id=claim_id, function=function)


def write(claim_id: str, directory: Path, existing_ids) -> Path:
    """Write the template for claim_id into directory (created if need be); never overwrite."""
    text = render(claim_id)
    if claim_id in set(existing_ids):
        raise UsageError(f"new: claim {claim_id!r} already exists; choose another id")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"new: --claims {directory} is not a directory")
    path = directory / f"{module_name(claim_id)}.py"
    if path.exists():
        raise UsageError(f"new: {path} already exists; it is left as it is")
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
