"""What writing every report format adds to `check all`, measured side by side in one run.

Run: python benchmarks/report_formats.py [--runs N]
Three commands alternate in each round: `check all` writing JSON only, writing every format with
matplotlib hidden (plots unavailable), and writing every format with plots. Ratios are against the first.
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
_HIDE_MPL = "import sys; sys.modules['matplotlib'] = None; from proofs.cli import main; sys.exit(main(sys.argv[1:]))"
_RUN = "import sys; from proofs.cli import main; sys.exit(main(sys.argv[1:]))"


def _time(code: str, args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        json_only = ["check", "all", "-q", "--format", "json", "--output", f"{tmp}/r.json"]
        every = ["check", "all", "-q", "--report-dir", tmp]
        base, no_plots, with_plots = [], [], []
        for _ in range(args.runs):
            base.append(_time(_RUN, json_only))
            no_plots.append(_time(_HIDE_MPL, every))
            with_plots.append(_time(_RUN, every))
    b = statistics.median(base)
    print(f"check all, JSON only                 median {b:.3f} s")
    print(f"every format, no matplotlib          median {statistics.median(no_plots):.3f} s  "
          f"= {statistics.median(n / x for n, x in zip(no_plots, base)):.2f}x (target <= 1.20x)")
    print(f"every format, with plots             median {statistics.median(with_plots):.3f} s  "
          f"(+{statistics.median(w - x for w, x in zip(with_plots, base)):.3f} s for the reports; target < 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
