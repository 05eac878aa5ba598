"""Three claims that hold, for damaging their cache entries."""

from proofs import Outcome, Verdict, claim


def _claim(part):
    @claim(f"plain.ex1.{part}.holds", exercise=1, part=part, statement="0 = 0.", asserts="0 = 0", formal="0 = 0",
           requires=Verdict.PROVED)
    def holds():
        return Outcome(Verdict.PROVED, "arithmetic")

    return holds


CLAIMS = (_claim("a"), _claim("b"), _claim("c"))
