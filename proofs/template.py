"""`proofs new`: a commented claim module to fill in, which fails clearly until every todo(...) is filled."""

from __future__ import annotations

import re
from pathlib import Path

from proofs.errors import UsageError
from proofs.model import ID_PATTERN, exercise_segment

__all__ = ["render", "write", "module_name"]

_TEMPLATE = '''"""Claim {id}. Fill in each placeholder below, then run `python -m proofs check {id} --claims DIR`."""

from fractions import Fraction

import z3

from proofs import Anchor, Erratum, Perturbation, Replay, Verdict, claim, todo  # noqa: F401 - Erratum: see below
from proofs.interpret import validity
from proofs.solvers.smt import prove

# The material file this claim checks, relative to the directory given to `check --material DIR`.
MATERIAL = todo("the material file, e.g. 'week8/sheet.md'")

# The values the material states. The check proves the claim with these; each perturbation replaces some of
# them with a wrong value that the check must refute (`python -m proofs mutants`).
STATED = todo("the stated values as a dict, e.g. {{'b': 2, 'middle': 4}} for (x + 2)^2 = x^2 + 4x + 4")
WRONG = todo("one wrong variant as a dict replacing a stated value, e.g. {{'middle': 5}}")


def sides(x, **stated):
    """Both sides of the material's equation at x. It is evaluated twice: on a z3 variable for the proof, and on an
    exact Fraction to replay any counterexample z3 reports, so use only + - * and ** with whole exponents."""
    return todo("a pair (left, right) built from x and stated, e.g. "
                "((x + stated['b']) ** 2, x * x + stated['middle'] * x + stated['b'] ** 2)")


def replay(witness, **stated) -> Replay:
    """The claim's predicate at one counterexample, in exact arithmetic, independently of z3."""
    left, right = sides(Fraction(witness["x"]), **stated)
    return Replay(left == right, {{"left": left, "right": right}})


@claim(
    "{id}",
    exercise={exercise}, part={part!r},
    statement=todo("the claim in your own words"),
    asserts=todo("what the material asserts, with its formula or value"),
    formal=todo("what the check decides: 'for every real x: ...' with the stated values"),
    # PROVED: z3 shows the negation unsatisfiable, so the equation holds for every real x.
    requires=Verdict.PROVED,
    params=STATED,
    # The snippet of the material the claim relies on, as printed; `check --material DIR` fails the claim as stale
    # when it is no longer there.
    anchors=(Anchor(MATERIAL, todo("a short snippet the claim relies on, as the material prints it")),),
    perturbations=(Perturbation("wrong_value", WRONG, "a value the material does not state"),),
    replay=replay,
    # If the material's statement is wrong, keep it as printed and record the erratum; the check must then refute
    # it, and a corrected claim with its own id stands beside it:
    # erratum=Erratum("why the printed statement fails", corrected_by="{id}_corrected"),
)
def {function}(**stated):
    x = z3.Real("x")
    left, right = sides(x, **stated)
    return validity(prove(left == right, [x]))


CLAIMS = ({function},)
'''


def module_name(claim_id: str) -> str:
    return claim_id.replace(".", "_")


def render(claim_id: str) -> str:
    if not ID_PATTERN.fullmatch(claim_id):
        raise UsageError(f"new: {claim_id!r} is not a claim id: [namespace.]ex<N>.<part>.<slug>, e.g. week8.ex1.a.binomial")
    segments = claim_id.split(".")
    exercise_at = segments.index(exercise_segment(claim_id))
    rest = segments[exercise_at + 1:]
    part = rest[0] if len(rest) > 1 else None
    function = re.sub(r"^[^a-z_]+", "", rest[-1]) or "check"
    return _TEMPLATE.format(id=claim_id, exercise=int(segments[exercise_at][2:]), part=part, function=function)


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
