"""Time `python -m proofs check all` against `python -c "import sympy, z3"`, side by side, and report the median ratio.

Run: python benchmarks/check_all.py [--runs N]
The commands alternate within each round so that machine noise hits them alike. Peak memory is the largest
resident set of any process of the command (the runner's children included). A one-claim rerun (the command a
report prints under a failing claim) is timed too: it is the checker's fixed cost, start-up and report included.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK = [sys.executable, "-m", "proofs", "check", "all", "-q"]
BASELINE = [sys.executable, "-c", "import sympy, z3"]
RERUN = [sys.executable, "-m", "proofs", "check", "ex1.b.conv_units", "-q"]
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
    timed(CHECK)  # warm the file cache
    ratios, rerun_ratios, checks, reruns, bases, peaks = [], [], [], [], [], []
    for _ in range(args.runs):
        base, _ = timed(BASELINE)
        check, peak = timed(CHECK)
        rerun, _ = timed(RERUN)
        bases.append(base)
        checks.append(check)
        reruns.append(rerun)
        peaks.append(peak)
        ratios.append(check / base)
        rerun_ratios.append(rerun / base)
    print(f"import sympy, z3     median {statistics.median(bases):.3f} s")
    print(f"proofs check all     median {statistics.median(checks):.3f} s")
    print(f"one-claim rerun      median {statistics.median(reruns):.3f} s")
    print(f"ratio                median {statistics.median(ratios):.2f}x (target <= 2x) over {args.runs} paired runs")
    print(f"rerun ratio          median {statistics.median(rerun_ratios):.2f}x")
    print(f"peak resident memory {max(peaks) / 1024:.0f} MiB (largest process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
