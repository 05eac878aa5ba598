"""Time `check all` in N shards and merged against the single run, side by side, and report the median ratios.

Run: python benchmarks/shards.py [--runs N] [--shards N]
Each round times, alternately so that machine noise hits them alike, cold (`--no-cache`) and writing JSON:
the single `check all`; then its N shards one after another (`--shard K/N`, balanced by the seconds the single run
of that round recorded, `--durations`), and `merge` of their reports into one JSON report. Two ratios against the
single run: all shards in turn plus the merge (the work sharding adds: N start-ups and pack loads, and the merge),
and the slowest shard plus the merge (what a CI matrix waits for when the shards run side by side). The shards' own
checking times show how even the plan is.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROOFS = [sys.executable, "-m", "proofs"]


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([*PROOFS, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"proofs {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shards", type=int, default=4)
    args = parser.parse_args()
    n = args.shards
    single, in_turn, critical, spread = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        whole = f"{tmp}/whole.json"
        timed(["check", "all", "-q", "--no-cache", "--format", "json", "--output", whole])  # warms the file cache
        for _ in range(args.runs):
            single.append(timed(["check", "all", "-q", "--no-cache", "--format", "json", "--output", whole]))
            shard_times, reports = [], []
            for k in range(1, n + 1):
                reports.append(f"{tmp}/shard{k}.json")
                shard_times.append(timed(["check", "all", "-q", "--no-cache", "--shard", f"{k}/{n}", "--durations", whole,
                                          "--format", "json", "--output", reports[-1]]))
            merge = timed(["merge", *reports, "-q", "--format", "json", "--output", f"{tmp}/merged.json"])
            in_turn.append(sum(shard_times) + merge)
            critical.append(max(shard_times) + merge)
            checking = [json.loads(Path(r).read_text())["summary"]["seconds"] for r in reports]
            spread.append(max(checking) / (sum(checking) / n) if sum(checking) else 1.0)
    s = statistics.median(single)
    print(f"check all, single run                    median {s:.3f} s")
    print(f"{n} shards in turn + merge                 median {statistics.median(in_turn):.3f} s   "
          f"ratio {statistics.median(t / b for t, b in zip(in_turn, single)):.2f}x")
    print(f"slowest of {n} shards + merge (CI matrix)  median {statistics.median(critical):.3f} s   "
          f"ratio {statistics.median(t / b for t, b in zip(critical, single)):.2f}x")
    print(f"slowest shard's checking time / mean shard's: median {statistics.median(spread):.2f} ({args.runs} paired runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
