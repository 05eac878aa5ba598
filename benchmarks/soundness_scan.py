"""The scan's soundness on generated course material whose truth is known (tests/scan_oracle.py): false proofs, false
alarms, recall on planted slips and the share of steps skipped, over ten thousand steps or more.

Run: python benchmarks/soundness_scan.py [--steps N] [--seed S] [--jobs J] [--part NAME]
(--part: documents of one generated part only, e.g. _pieces_part, _comma_part, _notes_part, _entries_part,
_earlier_part, _kinds_part: a soak of one verdict path)
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from scan_oracle import RandomSource, Tally, generate, generate_part, judge  # noqa: E402

# Paragraphs (parts of an exercise) per generated document.
_PARTS = 6


def _part(name: str):
    import scan_oracle
    import scan_oracle_prose

    found = getattr(scan_oracle_prose, name, None) or getattr(scan_oracle, name, None)
    if not callable(found):
        raise SystemExit(f"no generated part named {name!r} in tests/scan_oracle.py or tests/scan_oracle_prose.py")
    return found


def _document(seed: int, part: str = "") -> Tally:
    from proofs.material import parse as read_text
    from proofs.scan.steps import scan_document

    if part:
        material = generate_part(RandomSource(seed), _part(part), parts=_PARTS)
    else:
        material = generate(RandomSource(seed), parts=_PARTS, more=True, written=True)
    steps = scan_document(read_text(f"generated-{seed}.md", material.text, "markdown"), second_reader=False)
    tally = judge(material, steps)
    tally.false_proofs = [f"seed {seed}: {x}" for x in tally.false_proofs]
    tally.false_alarms = [f"seed {seed}: {x}" for x in tally.false_alarms]
    tally.misread = [f"seed {seed}: {x}" for x in tally.misread]
    return tally


def soak(n: int = 10_000, seed: int = 0, jobs: int = 1, part: str = "") -> dict:
    """Scan generated documents until at least `n` steps are judged; the counts, and every false proof, false alarm
    and misread step with the seed of its document (python -c 'from scan_oracle import *; print(generate(RandomSource(S),
    6).text)' in tests/ prints it)."""
    total, next_seed, start = Tally(), seed, time.monotonic()
    with ProcessPoolExecutor(jobs) if jobs > 1 else _Inline() as pool:
        while total.steps < n:
            batch = max(1, (n - total.steps) // 10 + 1)
            for tally in pool.map(_document, range(next_seed, next_seed + batch), [part] * batch):
                total.add(tally)
            next_seed += batch
    slips = total.slips or 1
    return {"steps": total.steps, "documents": next_seed - seed, "true_steps": total.true, "planted_slips": total.slips,
            "false_proofs": len(total.false_proofs), "false_alarms": len(total.false_alarms),
            "recall": total.caught / slips, "skipped_share": total.skipped / (total.steps or 1),
            "misread": len(total.misread), "seconds": round(time.monotonic() - start, 1),
            "families": total.families, "unhonoured": total.unhonoured,
            "examples": {"false_proofs": total.false_proofs[:20], "false_alarms": total.false_alarms[:20],
                         "misread": total.misread[:20]}}


class _Inline:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, f, *items):
        return map(f, *items)


def run(n: int = 10_000, seed: int = 0, jobs: int = 1, out=sys.stdout, part: str = "") -> int:
    """Soak `n` steps and print the counts; 1 when there was a false proof or a false alarm (benchmarks/soundness.py
    --part scan calls this)."""
    result = soak(n, seed, jobs, part)
    print(f"{result['steps']} generated scan steps in {result['documents']} documents ({result['seconds']} s): "
          f"{result['true_steps']} true, {result['planted_slips']} planted slips", file=out)
    print(f"false proofs: {result['false_proofs']}", file=out)
    print(f"false alarms: {result['false_alarms']}", file=out)
    print(f"recall on planted slips: {result['recall']:.2%}", file=out)
    print(f"skipped (or unknown) share: {result['skipped_share']:.2%}", file=out)
    print(f"misread (split or classified otherwise than generated): {result['misread']}", file=out)
    print("per path (the family of a generated step; definitions and conditions by their truth):", file=out)
    print(f"{'path':<26}{'steps':>7}{'true':>6}{'slips':>6}{'caught':>7}{'proved':>7}{'checked':>8}{'refuted':>8}"
          f"{'review':>7}{'skipped':>8}", file=out)
    for family, row in sorted(result["families"].items()):
        slips = row.get("is slip", 0)
        print(f"{family:<26}{sum(v for k, v in row.items() if k.startswith('is ')):>7}{row.get('is true', 0):>6}{slips:>6}"
              f"{row.get('caught', 0):>7}{row.get('proved', 0):>7}{row.get('checked', 0):>8}{row.get('refuted', 0):>8}"
              f"{row.get('needs review', 0):>7}{row.get('skipped', 0) + row.get('unknown', 0):>8}", file=out)
    for kind, shown in result["examples"].items():
        for line in shown:
            print(f"  {kind}: {line}", file=out)
    return 0 if result["false_proofs"] == 0 and result["false_alarms"] == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--part", default="", help="soak one generated part only (its function's name)")
    args = parser.parse_args()
    return run(args.steps, args.seed, args.jobs, part=args.part)


if __name__ == "__main__":
    sys.exit(main())
