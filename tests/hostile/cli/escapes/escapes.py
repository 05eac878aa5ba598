"""Hostile pack: text that tries to drive the terminal (ANSI colours, an OSC 8 link, a screen clear, a bidi override)."""

from proofs import Erratum, Outcome, Perturbation, Replay, Verdict, claim

ESC = "\x1b[31mred\x1b[0m \x1b]8;;https://example.com/\x07link\x1b]8;;\x07 \x9b2J \u202eevil\nfake line"


@claim("ex81.a.escapes", exercise=81, part="a", statement=ESC, asserts=ESC, formal=ESC, requires=Verdict.PROVED,
       params={"v": 1, "text": ESC}, assumptions=(ESC,), perturbations=(Perturbation("v2", {"v": 2}, ESC),),
       erratum=Erratum(ESC, "ex81.a.fixed"), replay=lambda witness, *, v, text: Replay(witness["v"] == 1, {"v": witness["v"]}))
def escapes(v, text):
    if v == 2:  # the perturbation survives, so mutants prints its reason
        return Outcome(Verdict.PROVED, "test", reason=ESC)
    return Outcome(Verdict.REFUTED, "test", {"note": ESC}, witness={"v": v + 1}, reason=ESC)


@claim("ex81.a.fixed", exercise=81, part="a", statement=ESC, asserts=ESC, formal=ESC, requires=Verdict.PROVED,
       assumptions=(ESC, "plain assumption"))
def fixed():
    return Outcome(Verdict.PROVED, "test", reason=ESC)


CLAIMS = (escapes, fixed)
