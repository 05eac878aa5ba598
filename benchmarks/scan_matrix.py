"""Scan time on matrix material: CPU seconds to decide its steps cold, this checkout against another commit, side by side.

Run: python benchmarks/scan_matrix.py [--base REV] [--rounds 2] [--folders matrix matrix_slips matrix_audit]
[--generated 0] [--same]
It scans the matrix test material (tests/scan_material/matrix*, or the folders named) and, with --generated N, seeds
0..N-1 of the matrix, calculus, scalar and body oracles' generated material (tests/*oracle*.py), each round in a fresh
process (no scan cache, sympy's own cache empty), with the scan's own reader only and no step time limit (so that the machine's load decides nothing),
and prints the best of `--rounds` runs in CPU seconds. With --base it does the same for that commit's `proofs` package
(exported with git archive into a temporary directory, run in a child process with it first on the path), alternating
the two so that the machine's load falls on both alike, and prints the ratio. With --same it also checks that both give
the same reports (every field of every step, as JSON with sorted keys; both with one hash seed, as a model's sets
are printed in its order) and exits 1 if not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from scan_throughput import base_checkout

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("matrix", "matrix_slips", "matrix_audit")

_MEASURE = r"""
import dataclasses, json, sys, time
from pathlib import Path
from proofs.material import discover, read
from proofs.scan.steps import scan_document
root, folders, out, generated = Path(sys.argv[1]), sys.argv[2].split(","), sys.argv[3], int(sys.argv[4])
documents = [read(root / f, n) for f in folders if f for n in discover(root / f)]
if generated:
    from proofs.material import parse
    sys.path.insert(0, str(root.parent))
    import matrix_oracle, matrix_oracle_calculus, scan_oracle, scan_oracle_bodies
    for module, options in ((matrix_oracle, dict(parts=4)), (matrix_oracle_calculus, dict(parts=4)),
                            (scan_oracle, dict(parts=6, more=True)), (scan_oracle_bodies, dict(parts=6))):
        documents += [parse("generated.md", module.generate(module.RandomSource(seed), **options).text, "markdown")
                      for seed in range(generated)]
start, wall, reports = time.process_time(), time.perf_counter(), []
for d in documents:
    reports.append([dataclasses.asdict(s) for s in scan_document(d, timeout=1e6, second_reader=False)])
cpu, wall = time.process_time() - start, time.perf_counter() - wall
Path(out).write_text(json.dumps(reports, sort_keys=True, default=str))
print(json.dumps({"cpu": cpu, "wall": wall, "steps": sum(map(len, reports))}))
"""


def _measure(path: Path, folders: list, out: Path, generated: int = 0) -> dict:
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(ROOT / "tests" / "scan_material"), ",".join(folders),
                           str(out), str(generated)], capture_output=True, text=True, check=True, cwd=path,
                          env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"})
    return json.loads(done.stdout)


def _line(runs: list, rounds: int) -> str:
    cpu = ", ".join(f"{r['cpu']:.1f}" for r in runs)
    wall = ", ".join(f"{r['wall']:.1f}" for r in runs)
    return f"{min(r['cpu'] for r in runs):.1f} s CPU for {runs[0]['steps']} steps (best of {rounds}; all: {cpu}; wall {wall})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a commit to compare with (its proofs package)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--folders", nargs="+", default=list(FOLDERS))
    parser.add_argument("--generated", type=int, default=0, help="documents of each oracle generator to scan too")
    parser.add_argument("--same", action="store_true", help="check that both give the same reports")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = base_checkout(args.base, Path(tmp)) if args.base else None
        here, there = [], []
        mine, theirs = Path(tmp) / "here.json", Path(tmp) / "base.json"
        for _ in range(args.rounds):
            here.append(_measure(ROOT, args.folders, mine, args.generated))
            if base is not None:
                there.append(_measure(base, args.folders, theirs, args.generated))
        best = min(r["cpu"] for r in here)
        print(f"this checkout: {_line(here, args.rounds)}")
        if there:
            was = min(r["cpu"] for r in there)
            print(f"{args.base}: {_line(there, args.rounds)}")
            print(f"ratio (this / {args.base}): {best / was:.2f}  (speed-up {was / best:.2f}x)")
            if args.same:
                same = json.loads(mine.read_text()) == json.loads(theirs.read_text())
                print("reports: identical" if same else "reports: DIFFER")
                if not same:
                    return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
