"""Time `python -m proofs check all` against `python -c "import sympy, z3"`, side by side, and report the median ratios.

Run: python benchmarks/check_all.py [--runs N]
`check all` is timed twice per round: cold (`--no-cache`: every claim checked) and with every result already in
a result cache of the benchmark's own (the edit-check loop when nothing the claims depend on changed). The
commands alternate within each round so that machine noise hits them alike. Peak memory is the largest resident
set of any process of the command (the runner's children included). A one-claim rerun (the command a report
prints under a failing claim, cold) is timed too: the checker's fixed cost, start-up and report included.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK = [sys.executable, "-m", "proofs", "check", "all", "-q", "--no-cache"]
BASELINE = [sys.executable, "-c", "import sympy, z3"]
RERUN = [sys.executable, "-m", "proofs", "check", "ex1.b.conv_units", "-q", "--no-cache"]
_PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); " \
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def timed(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], cwd=ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, int(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        cached = [*CHECK[:-1], "--cache-dir", cache]
        timed(cached)  # warms the file cache and fills the result cache
        rows = {"import sympy, z3": [], "check all, cold": [], "check all, cached": [], "one-claim rerun": []}
        peaks = []
        for _ in range(args.runs):
            rows["import sympy, z3"].append(timed(BASELINE)[0])
            seconds, peak = timed(CHECK)
            rows["check all, cold"].append(seconds)
            peaks.append(peak)
            rows["check all, cached"].append(timed(cached)[0])
            rows["one-claim rerun"].append(timed(RERUN)[0])
    base = rows["import sympy, z3"]
    for name, times in rows.items():
        ratio = statistics.median(t / b for t, b in zip(times, base))
        print(f"{name:<20} median {statistics.median(times):.3f} s   ratio {ratio:.2f}x")
    print(f"target: check all, cold <= 4x import sympy, z3; {args.runs} paired runs")
    print(f"peak resident memory {max(peaks) / 1024:.0f} MiB (largest process, cold run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
