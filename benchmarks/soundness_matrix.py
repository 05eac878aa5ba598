"""The scan's soundness on generated matrix material whose truth is known (tests/matrix_oracle.py): false proofs,
false alarms, refutations whose counterexample the oracle's own evaluator does not confirm, and recall on planted
slips by kind, over a few thousand steps or more.

Run: python benchmarks/soundness_matrix.py [--steps N] [--seed S] [--jobs J]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from matrix_oracle import RandomSource, Tally, generate, judge  # noqa: E402

# Sections per generated document.
_PARTS = 4


def _document(seed: int) -> Tally:
    from proofs.material import parse as read_text
    from proofs.scan.steps import scan_document

    material = generate(RandomSource(seed), parts=_PARTS)
    steps = scan_document(read_text(f"matrix-{seed}.md", material.text, "markdown"), second_reader=False)
    tally = judge(material, steps)
    for field in ("false_proofs", "false_alarms", "unconfirmed", "misread", "missed"):
        setattr(tally, field, [f"seed {seed}: {x}" for x in getattr(tally, field)])
    return tally


class _Inline:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, f, items):
        return map(f, items)


def soak(n: int = 3_000, seed: int = 0, jobs: int = 1) -> dict:
    """Scan generated documents until at least `n` steps are judged (python -c 'from matrix_oracle import *;
    print(generate(RandomSource(S), 4).text)' in tests/ prints the document of seed S)."""
    total, next_seed, start = Tally(), seed, time.monotonic()
    with ProcessPoolExecutor(jobs) if jobs > 1 else _Inline() as pool:
        while total.steps < n:
            batch = max(jobs, (n - total.steps) // 18 + 1)
            for tally in pool.map(_document, range(next_seed, next_seed + batch)):
                total.add(tally)
            next_seed += batch
    return {"steps": total.steps, "documents": next_seed - seed, "true_steps": total.true,
            "planted_slips": total.slips, "caught": total.caught, "false_proofs": total.false_proofs,
            "false_alarms": total.false_alarms, "unconfirmed": total.unconfirmed, "misread": total.misread,
            "skipped": total.skipped, "by_family": total.by_family, "missed": total.missed,
            "seconds": round(time.monotonic() - start, 1)}


def run(n: int = 3_000, seed: int = 0, jobs: int = 1, out=sys.stdout) -> int:
    """Soak `n` steps and print the counts; 1 when there was a false proof, a false alarm or an unconfirmed
    counterexample (benchmarks/soundness.py --part matrix calls this)."""
    r = soak(n, seed, jobs)
    slips = r["planted_slips"] or 1
    print(f"{r['steps']} generated matrix steps in {r['documents']} documents ({r['seconds']} s): "
          f"{r['true_steps']} true, {r['planted_slips']} planted slips", file=out)
    print(f"false proofs: {len(r['false_proofs'])}", file=out)
    print(f"false alarms: {len(r['false_alarms'])}", file=out)
    print(f"counterexamples the oracle does not confirm: {len(r['unconfirmed'])}", file=out)
    print(f"recall on planted slips: {r['caught'] / slips:.2%} ({r['caught']} of {r['planted_slips']})", file=out)
    for family, (planted, caught) in sorted(r["by_family"].items()):
        print(f"  {family:<22}{caught:>5} of {planted:<5}", file=out)
    print(f"skipped (or unknown) share: {r['skipped'] / (r['steps'] or 1):.2%}", file=out)
    print(f"misread (split or classified otherwise than generated): {len(r['misread'])}", file=out)
    for kind in ("false_proofs", "false_alarms", "unconfirmed", "misread", "missed"):
        for line in r[kind][:15]:
            print(f"  {kind}: {line[:400]}", file=out)
    return 0 if not (r["false_proofs"] or r["false_alarms"] or r["unconfirmed"]) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    return run(args.steps, args.seed, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
