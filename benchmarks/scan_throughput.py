"""Scan throughput on scalar material: steps per second, this checkout against another commit, side by side.

Run: python benchmarks/scan_throughput.py [--base REV] [--rounds 3] [--copies 4]
It scans the scalar test material (tests/scan_material: correct, slips, course_true, course_slips), each file
`--copies` times, with the scan's own reader only (--no-sympy-reader: the second reader's time is sympy's), and
prints the best of `--rounds` runs in steps per second. With --base it does the same for that commit's `proofs`
package (exported with git archive into a temporary directory, run in a child process with it first on the path),
alternating the two so that the machine's load falls on both alike, and prints the change.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("correct", "slips", "course_true", "course_slips")

_MEASURE = r"""
import json, sys, time
from pathlib import Path
from proofs.material import discover, read
from proofs.scan.steps import scan_document
root, copies = Path(sys.argv[1]), int(sys.argv[2])
documents = [read(root / f, n) for f in %r for n in discover(root / f)]
start, steps = time.perf_counter(), 0
for _ in range(copies):
    for d in documents:
        steps += len(scan_document(d, second_reader=False))
print(json.dumps({"steps": steps, "seconds": time.perf_counter() - start}))
""" % (FOLDERS,)


def _measure(path: Path, copies: int) -> float:
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(ROOT / "tests" / "scan_material"), str(copies)],
                          capture_output=True, text=True, check=True, cwd=path,
                          env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"})
    out = json.loads(done.stdout)
    return out["steps"] / out["seconds"]


def base_checkout(rev: str, tmp: Path) -> Path:
    """The proofs package of commit `rev`, exported under tmp/base (for a side-by-side run beside this checkout's)."""
    base = tmp / "base"
    base.mkdir()
    archive = subprocess.run(["git", "archive", rev, "proofs"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
    return base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a commit to compare with (its proofs package)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = base_checkout(args.base, Path(tmp)) if args.base else None
        here, there = [], []
        for _ in range(args.rounds):
            here.append(_measure(ROOT, args.copies))
            if base is not None:
                there.append(_measure(base, args.copies))
        print(f"this checkout: {max(here):.1f} steps/s (best of {args.rounds}; all: {', '.join(f'{x:.1f}' for x in here)})")
        if there:
            print(f"{args.base}: {max(there):.1f} steps/s (best of {args.rounds}; all: {', '.join(f'{x:.1f}' for x in there)})")
            print(f"change: {100 * (max(here) / max(there) - 1):+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
