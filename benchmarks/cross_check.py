"""What `--cross-check` (every z3 query solved again by cvc5) adds to `check all`, side by side in one run.

Run: python benchmarks/cross_check.py [--runs N]   (needs the crosscheck extra)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "proofs", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    plain, crossed = [], []
    for _ in range(args.runs):
        plain.append(_time(["check", "all", "-q"]))
        crossed.append(_time(["check", "all", "-q", "--cross-check"]))
    ratio = statistics.median(c / p for c, p in zip(crossed, plain))
    print(f"check all                 median {statistics.median(plain):.3f} s")
    print(f"check all --cross-check   median {statistics.median(crossed):.3f} s  = {ratio:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
