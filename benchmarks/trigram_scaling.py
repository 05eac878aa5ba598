"""How the Exercise 3 (f) proof and the (f) end-to-end replay scale with the vocabulary size, and how long
checking every Exercise 3 claim takes.

Run: python benchmarks/trigram_scaling.py [--repeat N]
The proof works with a symbolic vocabulary size, so it is one computation whatever |V| is; the replay runs
the plain network on every context of an explicit vocabulary. Both are timed in the same run, and the
replay is reported as a ratio to the proof. `check ex3` is then run as a user runs it, cold (`--no-cache`)
and with its results cached; its checking time is the run time the report gives (start-up excluded).
"""

from __future__ import annotations

import argparse
import itertools
import random
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from proofs.claims.ex3 import output, trigram  # noqa: E402
from proofs.evaluate import evaluate  # noqa: E402
from proofs.registry import load  # noqa: E402


def _time(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _replay(n: int) -> None:
    table = output.random_table(n, random.Random(n))
    for a, b in itertools.product(range(n), repeat=2):
        assert output.network_distribution(n, table, a, b, wiring="transposed", hidden=trigram.SHEET_WEIGHTS) == \
            [table[x, a, b] for x in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load().warm()
    proof = _time(lambda: evaluate(trigram.stated_weights_transposed), args.repeat)
    print(f"(f) proof, symbolic |V|          {proof * 1000:8.1f} ms (one computation for every size)")
    for n in (2, 4, 8, 12, 16):
        replay = _time(lambda: _replay(n), args.repeat)  # noqa: B023 - called at once
        print(f"(f) replay, |V| = {n:2d}, {n * n:3d} contexts {replay * 1000:8.1f} ms  = {replay / proof:6.2f}x the proof")
    with tempfile.TemporaryDirectory() as cache:
        for name, extra in (("cold", ["--no-cache"]), ("cached", ["--cache-dir", cache])):
            runs = [_check_ex3(extra) for _ in range(max(args.repeat, 3) + (name == "cached"))][name == "cached":]
            checking = statistics.median(r["summary"]["seconds"] for r in runs)
            summed = statistics.median(sum(x["seconds"] for x in r["results"]) for r in runs)
            print(f"check ex3, {name:<6} {len(runs[0]['results'])} claims: checking time {checking:.3f} s "
                  f"(median of {len(runs)}), per-claim times summed {summed:.3f} s")
    return 0


def _check_ex3(extra: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "proofs", "check", "ex3", "--format", "json", *extra],
                         cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


if __name__ == "__main__":
    sys.exit(main())
