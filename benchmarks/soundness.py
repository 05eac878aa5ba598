"""How sound the verdicts are: generated statements of every kind, each with its truth known without the engine,
decided by the engine and compared with that truth.

Run: python benchmarks/soundness.py [--n 10000] [--seed 0] [--jobs 2] [--part statements|scan|matrix|all]
[--every 1000]

Prints per kind the counts of statements, true and false ones, false passes (a false statement that passes), false
proofs (one proved), false refutations (a true statement refuted), errors, and the unknown share on true statements
(unknown fails closed: it never passes). The exit code is 1 when any false pass, false proof, false refutation or
error occurred. The scan's part is `benchmarks/soundness_scan.py` (its `run(n, seed, jobs) -> int`), run with
--part scan or all where it is present; the scan's matrix part is `benchmarks/soundness_matrix.py`, run with --part
matrix or all (at most 3,000 steps with --part all: a matrix step costs about ten scalar ones).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import multiprocessing
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the oracle's generator and plain evaluator live with the tests

WRONG = ("false_pass", "false_proof", "false_refutation", "error")


class _Draw:
    def __init__(self, seed: str) -> None:
        self.random = random.Random(seed)

    def int(self, lo: int, hi: int) -> int:
        return self.random.randint(lo, hi)

    def pick(self, seq):
        return self.random.choice(list(seq))


def _one(job: tuple) -> tuple:
    """(kind, truth, class, seconds, text) for one generated statement; None for a draw that gave nothing."""
    import oracle_statements as oracle

    from proofs.evaluate import evaluate

    kind, seed, index = job
    case = oracle.generate(_Draw(f"{seed}:{kind}:{index}"), kind, f"s{index}")
    if case is None:
        return kind, None, "skipped", 0.0, ""
    oracle.confirm(case)
    start = time.perf_counter()
    result = evaluate(case.claim())
    seconds = time.perf_counter() - start
    verdict = oracle.verdict_class(case, result.verdict.value, result.status.value)
    text = "" if verdict == "ok" else f"{verdict}: {case.claim().formal} -> {result.verdict.value}: {result.reason[:300]}"
    return kind, case.truth, verdict, seconds, text


def statements(n: int, seed: int, jobs: int, out=sys.stdout, every: int = 0) -> int:
    import oracle_statements as oracle

    per_kind = -(-n // len(oracle.KINDS))
    work = [(kind, seed, i) for i in range(per_kind) for kind in oracle.KINDS]
    counts: dict = collections.defaultdict(collections.Counter)
    wrong: list[str] = []
    unknown: list[str] = []  # a few true statements left unknown, to show what fails closed
    start = time.perf_counter()
    done = 0
    with multiprocessing.Pool(jobs) as pool:
        for kind, truth, verdict, seconds, text in pool.imap_unordered(_one, work, chunksize=8):
            done += 1
            if every and done % every == 0:  # the counts so far, for a long run
                _table(counts, f"after {done} of {len(work)}", out, wrong)
            row = counts[kind]
            row["seconds"] += seconds
            if truth is None:
                row["skipped"] += 1
                continue
            row["statements"] += 1
            row["true" if truth else "false"] += 1
            row[verdict if verdict != "unknown" else ("unknown_true" if truth else "unknown_false")] += 1
            if text and verdict != "unknown":
                wrong.append(text)
            elif text and truth and len(unknown) < 10:
                unknown.append(text)
    total = _table(counts, f"statements: {n} requested, seed {seed}, {jobs} processes", out, wrong)
    print(f"wall time {time.perf_counter() - start:.0f}s", file=out)
    for text in wrong[:50] + unknown:
        print("  " + text, file=out)
    return 1 if any(total[w] for w in WRONG) else 0


def _table(counts, title: str, out, wrong) -> collections.Counter:
    import oracle_statements as oracle

    print(title, file=out)
    print(f"{'kind':<18}{'stmts':>7}{'true':>6}{'false':>6}{'f.pass':>7}{'f.proof':>8}{'f.refut':>8}{'errors':>7}"
          f"{'unknown/true':>14}{'s/stmt':>8}", file=out)
    total: collections.Counter = collections.Counter()
    for kind in oracle.KINDS:
        row = counts[kind]
        total.update(row)
        print(_line(kind, row), file=out)
    print(_line("all", total), file=out)
    for text in wrong[:20]:
        print("  " + text, file=out)
    out.flush()
    return total


def _line(kind: str, row) -> str:
    share = row["unknown_true"] / row["true"] if row["true"] else 0.0
    per = row["seconds"] / max(1, row["statements"])
    return (f"{kind:<18}{row['statements']:>7}{row['true']:>6}{row['false']:>6}{row['false_pass']:>7}"
            f"{row['false_proof']:>8}{row['false_refutation']:>8}{row['error']:>7}"
            f"{row['unknown_true']:>7} {share:>5.1%}{per:>8.2f}")


def _scan_part(name: str = "soundness_scan"):
    """benchmarks/<name>.py's run(n, seed, jobs), where that part is present."""
    path = Path(__file__).with_name(f"{name}.py")
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its worker processes pickle functions by module name
    spec.loader.exec_module(module)
    return module.run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="how many statements (spread evenly over the kinds)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=max(1, (multiprocessing.cpu_count() or 1)))
    parser.add_argument("--part", choices=("statements", "scan", "matrix", "all"), default="statements")
    parser.add_argument("--every", type=int, default=0, help="print the counts so far after every this many")
    args = parser.parse_args(argv)
    code = 0
    if args.part in ("statements", "all"):
        code |= statements(args.n, args.seed, args.jobs, every=args.every)
    if args.part in ("scan", "all"):
        scan = _scan_part()
        if scan is None:
            print("scan: benchmarks/soundness_scan.py is not present", file=sys.stderr)
            code |= 1 if args.part == "scan" else 0
        else:
            code |= scan(args.n, args.seed, args.jobs)
    if args.part in ("matrix", "all"):
        matrix = _scan_part("soundness_matrix")
        if matrix is None:
            print("matrix: benchmarks/soundness_matrix.py is not present", file=sys.stderr)
            code |= 1 if args.part == "matrix" else 0
        else:
            code |= matrix(args.n if args.part == "matrix" else min(args.n, 3_000), args.seed, args.jobs)
    return code


if __name__ == "__main__":
    sys.exit(main())
