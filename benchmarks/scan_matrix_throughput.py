"""Scan throughput on matrix material: CPU seconds and steps per CPU second, this checkout against another commit,
side by side, with a check that both give the same reports.

Run: python benchmarks/scan_matrix_throughput.py [--base REV] [--rounds 2] [--oracle-steps 300] [--part both]
It scans, in a fresh process per round (no scan cache, sympy's own cache empty, the scan's own reader only, no step
time limit so that the machine's load decides nothing): the matrix test material (tests/scan_material/matrix,
matrix_slips, matrix_audit), and a fixed sample of generated matrix material (tests/matrix_oracle.py, seeds 0, 1, ...
until at least --oracle-steps steps). It prints, per part, the best of `--rounds` runs in CPU seconds (user + sys of
the child, including any process it starts) with the wall time beside it. With --base it does the same for that
commit's `proofs` package (exported with git archive into a temporary directory, run in a child process with it first
on the path; the material and the generator are this checkout's for both), alternating the two so that the machine's
load falls on both alike, prints the ratios, and checks that both give the same reports (every step of every
document as JSON with sorted keys, every field a Step compares: status, reason, counterexample, ...; there are no
timings in them, and the parsed forms kept for drafting, whose text holds unordered sets, are left out): exit 1 if not.
With --values-may-differ (for a change that draws other values, as keying an arbitrary function's values by its point
did), a counterexample's values may differ: reports are then compared without the counterexamples and with every
number in a reason left out, and the number of steps whose counterexample differs is printed.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from scan_throughput import base_checkout

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("matrix", "matrix_slips", "matrix_audit")
PARTS = ("material", "oracle")

_MEASURE = r"""
import dataclasses, json, sys, time
from pathlib import Path
tests, part, steps_wanted, out = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, str(tests))
from proofs.material import discover, parse, read
from proofs.scan.steps import scan_document
documents = []
if part == "material":
    root = tests / "scan_material"
    documents = [read(root / f, n) for f in %r for n in discover(root / f)]
else:
    from matrix_oracle import RandomSource, generate
    seed, planned = 0, 0
    while planned < steps_wanted:
        material = generate(RandomSource(seed), parts=4)
        documents.append(parse(f"matrix-{seed}.md", material.text, "markdown"))
        planned += len(material.steps)
        seed += 1
start, wall, reports = time.process_time(), time.perf_counter(), []
compared = None
for d in documents:
    steps = scan_document(d, timeout=1e6, second_reader=False)
    compared = compared or [f.name for f in dataclasses.fields(steps[0]) if f.compare] if steps else compared
    reports.append([{k: v for k, v in dataclasses.asdict(s).items() if k in compared} for s in steps])
cpu, wall = time.process_time() - start, time.perf_counter() - wall
Path(out).write_text(json.dumps(reports, sort_keys=True, default=str))
print(json.dumps({"cpu": cpu, "wall": wall, "steps": sum(map(len, reports)), "documents": len(documents)}))
""" % (FOLDERS,)


def _measure(path: Path, part: str, steps: int, out: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(ROOT / "tests"), part, str(steps), str(out)],
                          capture_output=True, text=True, check=True, cwd=path,
                          env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(done.stdout)
    # the whole child (start-up and imports included), user + sys
    result["process_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


# A number quoted in a reason (a counterexample's value, a count of instances).
_NUMBER = re.compile(r"≈?-?\d+(\.\d+)?(e-?\d+)?(/\d+)?")


def _valueless(reports: list) -> list:
    """The reports without their counterexamples, every number in a reason replaced by #."""
    return [[{**{k: v for k, v in step.items() if k != "counterexample"}, "reason": _NUMBER.sub("#", step["reason"])}
             for step in document] for document in reports]


def _examples_differing(mine: list, theirs: list) -> int:
    return sum(a.get("counterexample") != b.get("counterexample") for x, y in zip(mine, theirs) for a, b in zip(x, y))


def _line(runs: list) -> str:
    best = min(runs, key=lambda r: r["cpu"])
    cpu = ", ".join(f"{r['cpu']:.1f}" for r in runs)
    wall = ", ".join(f"{r['wall']:.1f}" for r in runs)
    whole = ", ".join(f"{r['process_cpu']:.1f}" for r in runs)
    return (f"{best['cpu']:.1f} s CPU scanning {best['steps']} steps of {best['documents']} documents, "
            f"{best['steps'] / best['cpu']:.2f} steps per CPU second (best of {len(runs)}; scan CPU {cpu}; "
            f"process CPU with start-up {whole}; wall {wall})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a commit to compare with (its proofs package)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--oracle-steps", type=int, default=300, help="generated steps in the oracle sample, at least")
    parser.add_argument("--part", choices=(*PARTS, "both"), default="both")
    parser.add_argument("--values-may-differ", action="store_true",
                        help="compare reports without counterexamples and without the numbers in reasons")
    args = parser.parse_args()
    parts = PARTS if args.part == "both" else (args.part,)
    differ = False
    with tempfile.TemporaryDirectory() as tmp:
        base = base_checkout(args.base, Path(tmp)) if args.base else None
        for part in parts:
            here, there = [], []
            mine, theirs = Path(tmp) / f"{part}-here.json", Path(tmp) / f"{part}-base.json"
            for _ in range(args.rounds):
                here.append(_measure(ROOT, part, args.oracle_steps, mine))
                if base is not None:
                    there.append(_measure(base, part, args.oracle_steps, theirs))
            print(f"[{part}] this checkout: {_line(here)}")
            if there:
                best, was = min(r["cpu"] for r in here), min(r["cpu"] for r in there)
                print(f"[{part}] {args.base}: {_line(there)}")
                print(f"[{part}] CPU ratio (this / {args.base}): {best / was:.2f}  (speed-up {was / best:.2f}x)")
                a, b = json.loads(mine.read_text()), json.loads(theirs.read_text())
                if args.values_may_differ:
                    print(f"[{part}] counterexamples that differ: {_examples_differing(a, b)}")
                    a, b = _valueless(a), _valueless(b)
                same = a == b
                print(f"[{part}] reports{' (values aside)' if args.values_may_differ else ''}: "
                      f"{'identical' if same else 'DIFFER'}")
                differ = differ or not same
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
