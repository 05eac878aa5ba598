"""A claim whose parameter is read, when the pack is loaded, from a dot-folder and from a linked folder."""

from pathlib import Path

from proofs import Outcome, Verdict, claim

HERE = Path(__file__).resolve().parent
HIDDEN = int((HERE / ".data" / "middle.txt").read_text())
LINKED = int((HERE / "linked" / "middle.txt").read_text())


@claim("loaded.ex1.a.hidden", exercise=1, part="a", statement="The dot-folder's file says 6.", asserts="6",
       formal="middle = 6", requires=Verdict.PROVED)
def hidden():
    if HIDDEN == 6:
        return Outcome(Verdict.PROVED, "arithmetic")
    return Outcome(Verdict.ERROR, "arithmetic", reason=f".data/middle.txt says {HIDDEN}")


@claim("loaded.ex1.a.linked", exercise=1, part="a", statement="The linked folder's file says 6.", asserts="6",
       formal="middle = 6", requires=Verdict.PROVED)
def linked():
    if LINKED == 6:
        return Outcome(Verdict.PROVED, "arithmetic")
    return Outcome(Verdict.ERROR, "arithmetic", reason=f"linked/middle.txt says {LINKED}")


CLAIMS = (hidden, linked)
