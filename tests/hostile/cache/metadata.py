"""Claims whose checks decide from what a path's metadata shows, not its content: each passes while the files beside
the pack are as the test made them, and fails after a change only stat, lstat, readlink, access or a listing shows."""

import os
from pathlib import Path

from proofs import Outcome, Verdict, claim

# The course folder holding this pack folder; the files read lie beside the pack, outside it.
COURSE = Path(__file__).resolve().parent.parent


def _verdict(holds, what):
    if holds:
        return Outcome(Verdict.PROVED, "inspection", {"what": what})
    return Outcome(Verdict.ERROR, "inspection", {"what": what}, reason=f"{what} changed")


def _claim(slug, statement):
    return claim(f"metadata.ex1.a.{slug}", exercise=1, part="a", statement=statement, asserts="6", formal="6 = 6",
                 requires=Verdict.PROVED)


@_claim("mode", "The data file is not executable by its owner.")
def mode():
    return _verdict(not os.stat(COURSE / "data.txt").st_mode & 0o100, "the mode of data.txt")


@_claim("link", "The plain file is not a symbolic link.")
def link():
    return _verdict(not os.path.islink(COURSE / "plain.txt"), "plain.txt's link-ness")


@_claim("target", "The link named six points at 6.")
def target():
    return _verdict(int(os.readlink(COURSE / "six")) == 6, "six's target")


@_claim("access", "The script cannot be run.")
def access():
    return _verdict(not os.access(COURSE / "run.sh", os.X_OK), "run.sh's mode")


@_claim("entry", "No entry of the box is a symbolic link.")
def entry():
    with os.scandir(COURSE / "box") as entries:
        return _verdict(not any(e.is_symlink() for e in entries), "the box's entries")


@_claim("resolved", "The folder named via resolves to the one named real.")
def resolved():
    return _verdict((COURSE / "via").resolve().name == "real", "where via leads")


CLAIMS = (mode, link, target, access, entry, resolved)
