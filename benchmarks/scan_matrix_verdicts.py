"""The scan's verdicts, this checkout against another commit: every step's status and reason (numbers quoted in a
reason aside) must be the same; counterexamples may differ in their values (how many do is printed).

Run: python benchmarks/scan_matrix_verdicts.py [--base REV] [--oracle-steps 400] [--scalar-steps 0] [--also DIR ...]
[--save DIR]
It scans, in one child process per checkout (no scan cache, no step time limit, the scan's own reader only): every
document under tests/scan_material and tests/material and under each --also folder, and a fixed sample of generated
matrix material (tests/matrix_oracle.py and tests/matrix_oracle_calculus.py, seeds 0, 1, ... until each gives at least
--oracle-steps / 2 steps) and, with --scalar-steps, of generated scalar material (tests/scan_oracle.py with its further
parts, scan_oracle_bodies.py, scan_oracle_notation.py, scan_oracle_rounded.py and scan_oracle_scopes.py, each until it
gives at least --scalar-steps / 5 steps). The base commit's `proofs` package is exported with git archive; the
material and the generators are this checkout's for both. It prints the statuses of both, every step whose status or
reason differs (exit 1 if any), and how many counterexamples differ. Every refuted matrix step's counterexample is replayed by the
scan itself (proofs/scan/matrix_replay.py) before it is reported refuted, so an unreplayed one shows as a changed
status.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from scan_throughput import base_checkout

ROOT = Path(__file__).resolve().parent.parent

_SCAN = r"""
import dataclasses, json, sys
from pathlib import Path
tests, steps_wanted, scalar_wanted, out = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
also = [Path(a) for a in sys.argv[5:]]
sys.path.insert(0, str(tests))
from proofs.material import discover, parse, read
from proofs.scan.steps import scan_document
documents = []
folders = [(f"{top}/{f.name}", f) for top in ("scan_material", "material") for f in sorted((tests / top).iterdir())]
for name, folder in folders + [(str(a), a) for a in also]:
    documents += [(f"{name}/{n}", read(folder, n)) for n in discover(folder)]
import matrix_oracle, matrix_oracle_calculus, scan_oracle, scan_oracle_bodies, scan_oracle_notation
import scan_oracle_rounded, scan_oracle_scopes
generators = [(matrix_oracle, lambda s: dict(parts=4), steps_wanted),
              (matrix_oracle_calculus, lambda s: dict(parts=4), steps_wanted)]
if scalar_wanted:
    generators += [(scan_oracle, lambda s: dict(parts=6, more=True), scalar_wanted),
                   (scan_oracle_bodies, lambda s: dict(parts=6), scalar_wanted),
                   (scan_oracle_notation, lambda s: dict(parts=4), scalar_wanted),
                   (scan_oracle_rounded, lambda s: dict(exercises=2), scalar_wanted),
                   (scan_oracle_scopes, lambda s: dict(exercises=2, seed=s), scalar_wanted)]
for module, options, wanted in generators:
    seed, planned = 0, 0
    while planned < wanted:
        material = module.generate(module.RandomSource(seed), **options(seed))
        documents.append((f"{module.__name__}/{seed}", parse(f"generated-{seed}.md", material.text, "markdown")))
        planned += len(material.steps)
        seed += 1
reports = []
for name, d in documents:
    for s in scan_document(d, timeout=1e6, second_reader=False):
        reports.append({"document": name, "text": s.text, "status": s.status, "reason": s.reason,
                        "counterexample": s.counterexample})
Path(out).write_text(json.dumps(reports, sort_keys=True, default=str))
"""

# A number quoted in a reason (a value of a counterexample, a count of instances): left out of the comparison.
_NUMBER = re.compile(r"≈?-?\d+(\.\d+)?(e-?\d+)?(/\d+)?")


def _scan(path: Path, steps: int, scalar: int, also: list, out: Path) -> list:
    subprocess.run([sys.executable, "-c", _SCAN, str(ROOT / "tests"), str(steps), str(scalar), str(out),
                    *[str(Path(a).resolve()) for a in also]], check=True, cwd=path,
                   env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"})
    return json.loads(out.read_text())


def _numberless(reason: str) -> str:
    return _NUMBER.sub("#", reason)


def compare(here: list, there: list) -> dict:
    """What differs between two scans of the same documents, step by step."""
    if [(r["document"], r["text"]) for r in here] != [(r["document"], r["text"]) for r in there]:
        raise SystemExit("the two scans read different steps")
    status, reason, example, numbers = [], [], 0, 0
    for a, b in zip(here, there):
        if a["status"] != b["status"]:
            status.append((b, a))
        elif _numberless(a["reason"]) != _numberless(b["reason"]):
            reason.append((b, a))
        elif a["reason"] != b["reason"]:
            numbers += 1
        if a["counterexample"] != b["counterexample"]:
            example += 1
    return {"status": status, "reason": reason, "counterexamples": example, "numbers": numbers}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="the commit to compare with (its proofs package)")
    parser.add_argument("--oracle-steps", type=int, default=400, help="generated steps, at least, in all")
    parser.add_argument("--scalar-steps", type=int, default=0, help="generated scalar steps, at least, in all")
    parser.add_argument("--also", nargs="*", default=[], help="further folders of material to scan")
    parser.add_argument("--save", help="a folder to keep both scans in (JSON)")
    parser.add_argument("--reuse", action="store_true", help="take the base's scan from --save when it is there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        save = Path(args.save or tmp)
        save.mkdir(parents=True, exist_ok=True)
        if args.reuse and (save / "base.json").exists():
            there = json.loads((save / "base.json").read_text())
        else:
            there = _scan(base_checkout(args.base, Path(tmp)), args.oracle_steps // 2, args.scalar_steps // 5,
                          args.also, save / "base.json")
        here = _scan(ROOT, args.oracle_steps // 2, args.scalar_steps // 5, args.also, save / "here.json")
    diff = compare(here, there)
    generated = sum(r["document"].startswith(("matrix_oracle", "scan_oracle")) for r in here)
    print(f"steps: {len(here)} ({generated} of generated material)")
    for name, scan in ((args.base, there), ("this checkout", here)):
        print(f"statuses ({name}): {dict(sorted(collections.Counter(r['status'] for r in scan).items()))}")
    print(f"counterexamples that differ: {diff['counterexamples']} of "
          f"{sum(r['counterexample'] is not None for r in here)}")
    print(f"reasons that differ only in the numbers they quote: {diff['numbers']}")
    for kind in ("status", "reason"):
        print(f"steps whose {kind} differs: {len(diff[kind])}")
        for b, a in diff[kind]:
            print(f"  {a['document']}: {a['text'][:100]!r}\n    was {b['status']}: {b['reason'][:300]}\n"
                  f"    now {a['status']}: {a['reason'][:300]}")
    return 1 if diff["status"] or diff["reason"] else 0


if __name__ == "__main__":
    sys.exit(main())
