"""Golden pack: claim text that tries to break every report format."""

from fractions import Fraction

from proofs import Erratum, Outcome, Perturbation, Replay, Verdict, claim

NASTY = 'a <script>alert("x")</script> ]]> ``` fence | pipe & amp \x01 end'


@claim("ex97.a.hostile_text", exercise=97, part="a", statement=NASTY, asserts=NASTY, formal=NASTY,
       requires=Verdict.PROVED, params={"v": 1}, assumptions=(NASTY,),
       perturbations=(Perturbation("v2", {"v": 2}, NASTY),),
       erratum=Erratum(NASTY, "ex97.a.hostile_fixed"),
       replay=lambda witness, *, v: Replay(False, {NASTY: NASTY, "v": v}), formulas=(NASTY, "Eq(x**2, y)"))
def hostile_text(v):
    return Outcome(Verdict.REFUTED, "z3", {NASTY: NASTY}, witness={"x": Fraction(1, 2), "note": NASTY}, reason=NASTY)


@claim("ex97.a.hostile_fixed", exercise=97, part="a", statement=NASTY, asserts=NASTY, formal=NASTY,
       requires=Verdict.PROVED)
def hostile_fixed():
    return Outcome(Verdict.REFUTED, "z3", {}, witness={"x": 1}, reason=NASTY)


CLAIMS = (hostile_text, hostile_fixed)
