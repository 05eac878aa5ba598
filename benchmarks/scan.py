"""The scan at course scale: formulas per second cold, an unchanged re-scan against the import floor, one edited file.

Run: python benchmarks/scan.py [--files 10] [--formulas 60] [--jobs 2] [--serial] [--against DIR]
In a temporary directory it writes a generated course (`--files` Markdown sheets of `--formulas` formulas each:
expansions, sums, derivatives, fractions, exponents and arithmetic, one in twenty of them wrong) and prints, side by
side in one run:
- the import floor: `python -c "import sympy, z3"`, the least a run of the checker can take (best of three);
- cold: `proofs scan --jobs N` with an empty scan cache, in formulas per second (with --serial, also --jobs 1);
- unchanged: the same scan again, every file reused from the cache, and its ratio to the import floor;
- one edited file: a formula of one sheet changed, the scan again: only that file is scanned (the command says how
  many files it reused), and its time.
With --against DIR (another checkout of the project, e.g. `git archive main | tar -x -C DIR`), the same cold scan is
also run with that checkout's code, in the same run, and the ratio of the two is printed; both reports must agree.
Every run's report is checked to be the cold run's (an edited file's only in its own steps).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def formula(f: int, k: int) -> str:
    """The k-th formula of sheet f: a family by k, numbers by (f, k) so that no two sheets share a side."""
    n = 2 + (7 * f + 3 * k) % 23
    m = 1 + (5 * f + k) % 17
    wrong = (f * 61 + k) % 20 == 7
    family = k % 8
    if family == 0:
        return f"(x + {n})^2 = x^2 + {2 * n}x + {n * n + wrong}"
    if family == 1:
        return f"{n} \\cdot {m} + {k} = {n * m + k + wrong}"
    if family == 2:
        return f"\\sum_{{i=1}}^{{{n}}} i = {n * (n + 1) // 2 + wrong}"
    if family == 3:
        return f"\\frac{{d}}{{dx}} x^{{{n}}} = {n + wrong} x^{{{n - 1}}}"
    if family == 4:
        return f"\\frac{{y^2 - {m * m}}}{{y - {m}}} = y + {m + wrong}"
    if family == 5:
        return f"e^{{a}} e^{{{n} a}} = e^{{{n + 1 + wrong} a}}"
    if family == 6:
        return f"(u - {m})(u + {m}) = u^2 - {m * m + wrong}"
    return f"\\frac{{{n}}}{{{m}}} + \\frac{{1}}{{{m}}} = \\frac{{{n + 1 + wrong}}}{{{m}}}"


def sheet(f: int, count: int) -> str:
    lines = [f"# Exercise {f + 1}", ""]
    for k in range(count):
        if k % 10 == 0:
            lines += [f"({chr(ord('a') + k // 10 % 26)}) Part {k // 10 + 1}.", ""]
        lines += [f"Step {k + 1}: $${formula(f, k)}$$", ""]
    return "\n".join(lines)


def timed(argv: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def timed_in(argv: list[str], checkout: Path) -> tuple[float, subprocess.CompletedProcess]:
    """`timed`, with the project's code taken from `checkout`."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=checkout, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, proc


def scan(material: Path, cache: Path, *options: str, checkout: Path = ROOT) -> tuple[float, float, dict, str]:
    """(wall seconds, CPU seconds of the scan and its workers, the JSON report, the text report) of one scan with
    the code of `checkout`."""
    report_file = cache.parent / "report.json"
    argv = [sys.executable, "-m", "proofs", "scan", "--material", str(material), "--cache-dir", str(cache), *options]
    before = os.times()
    seconds, proc = timed_in([*argv, "--format", "json", "--output", str(report_file)], checkout)
    after = os.times()
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        raise SystemExit(f"the scan failed ({proc.returncode}): {proc.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return seconds, cpu, json.loads(report_file.read_text()), ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--formulas", type=int, default=60, help="formulas per file")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--serial", action="store_true", help="also scan cold with --jobs 1")
    parser.add_argument("--against", type=Path, metavar="DIR",
                        help="also scan cold with the code of this checkout of the project, and print the ratio")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        material = base / "course"
        material.mkdir()
        for f in range(args.files):
            (material / f"week{f + 1:02d}.md").write_text(sheet(f, args.formulas))
        floor = min(timed([sys.executable, "-c", "import sympy, z3"])[0] for _ in range(3))
        cache = base / "cache"
        cold_s, cold_cpu, cold, _ = scan(material, cache, "--jobs", str(args.jobs))
        formulas = cold["summary"]["spans"]
        rows = [("import floor (python -c 'import sympy, z3')", floor, None, "")]
        if args.serial:
            serial_s, serial_cpu, serial, _ = scan(material, base / "serial-cache", "--jobs", "1")
            assert serial["steps"] == cold["steps"], "--jobs changed the report"
            rows.append(("cold, --jobs 1", serial_s, serial_cpu, f"{formulas / serial_s:.1f} formulas/s"))
        rows.append((f"cold, --jobs {args.jobs}", cold_s, cold_cpu,
                     f"{formulas / cold_s:.1f} formulas/s ({formulas / (cold_cpu / args.jobs):.1f} with {args.jobs} idle cores)"))
        if args.against is not None:
            other_s, other_cpu, other, _ = scan(material, base / "other-cache", "--jobs", str(args.jobs),
                                                checkout=args.against.resolve())
            assert [{k: v for k, v in s.items() if k != "read_by"} for s in other["steps"]] == \
                [{k: v for k, v in s.items() if k != "read_by"} for s in cold["steps"]], "the two checkouts disagree"
            rows.append((f"cold, --jobs {args.jobs}, {args.against}", other_s, other_cpu,
                         f"{formulas / other_s:.1f} formulas/s; this checkout is {other_s / cold_s:.2f}x as fast "
                         f"({other_cpu / cold_cpu:.2f}x in CPU)"))
        warm_s, warm_cpu, warm, _ = scan(material, cache, "--jobs", str(args.jobs))
        assert warm == cold, "a re-scan from the cache reported otherwise"
        rows.append(("unchanged re-scan", warm_s, warm_cpu, f"{warm_s / floor:.2f}x the import floor"))
        edited = material / "week05.md"
        edited.write_text(edited.read_text().replace("Step 3: $$", "Step 3: $$1 + 1 = 3, ", 1))
        entries = set(cache.glob("*/*.json"))
        edit_s, edit_cpu, after, _ = scan(material, cache, "--jobs", str(args.jobs))
        rescanned = len(set(cache.glob("*/*.json")) - entries)
        def by_file(report):
            out: dict = {}
            for step in report["steps"]:
                out.setdefault(step["file"], []).append(step)
            return out

        before_steps, after_steps = by_file(cold), by_file(after)
        changed = {f for f in before_steps.keys() | after_steps.keys() if before_steps.get(f) != after_steps.get(f)}
        assert changed == {"week05.md"}, changed
        rows.append(("one edited file", edit_s, edit_cpu, f"{rescanned} file(s) scanned, the others reused"))
    print(f"{args.files} files, {formulas} formulas, {cold['summary']['steps']} steps "
          f"({cold['summary']['proved']} proved, {cold['summary']['checked']} checked, {cold['summary']['refuted']} refuted, "
          f"{cold['summary']['unknown']} unknown, {cold['summary']['skipped']} skipped)")
    print(f"  {'':<46} {'wall':>9}  {'CPU':>9}")
    for label, seconds, cpu, note in rows:
        print(f"  {label:<46} {seconds:7.2f} s  {'' if cpu is None else f'{cpu:7.2f} s'}  {note}")


if __name__ == "__main__":
    main()
