"""Course scale: claims per second cold, peak memory, and rechecking one edited module against checking it alone.

Run: python benchmarks/scale.py [--claims 2000] [--catalogue 1000] [--modules 20] [--jobs 2]
In a temporary directory it writes two --claims folders of trivial claims (each module a list of claims that
hold): one of `--claims` claims and one of `--catalogue` claims, each in `--modules` modules. It prints, side by
side in one run:
- claims per second checking the first folder's claims cold (--no-cache) with --jobs (the seed pack is loaded, not
  checked), and the run's peak resident memory:
  the checker's own process, and the largest of its other processes (the fork server, module processes and
  checks; sampled every 20 ms, so a check shorter than that may be missed);
- for the catalogue: after one cached `check all`, one module is edited, and `check all` (reusing every other
  module's results, and the seed's) is timed against checking that module's claims alone from cold
  (`check exN.scale --no-cache`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODULE = '''"""Trivial claims for the scale benchmark (module {module}, revision {revision})."""

from proofs import Outcome, Verdict, claim


def _claim(k):
    @claim(f"ex{exercise}.scale.c{{k}}", exercise={exercise}, part=None, statement="0 = 0.", asserts="0 = 0",
           formal="0 = 0", requires=Verdict.PROVED)
    def holds():
        return Outcome(Verdict.PROVED, "arithmetic", {{"revision": {revision}}})

    return holds


CLAIMS = tuple(_claim(k) for k in range({count}))
'''

# Runs the checker in this process while a thread samples the peak resident set of it and of its other processes.
_SAMPLED = r'''
import json, os, sys, threading, time
from proofs.cli import main

me, peaks, stop = os.getpid(), {"parent": 0, "others": 0}, threading.Event()

def hwm(pid, field):
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def descendants():
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(name))
    found, todo = [], [me]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found

def sample():
    while not stop.wait(0.02):
        for pid in descendants():
            peaks["others"] = max(peaks["others"], hwm(pid, "VmHWM"))

thread = threading.Thread(target=sample, daemon=True)
thread.start()
started = time.perf_counter()
with open(os.devnull, "w") as null:
    code = main(sys.argv[1:], stdout=null, stderr=sys.stderr)
seconds = time.perf_counter() - started
stop.set()
thread.join()
peaks["parent"] = hwm(me, "VmHWM")
print(json.dumps({"code": code, "seconds": seconds, **peaks}))
'''


def write_folder(folder: Path, claims: int, modules: int) -> None:
    folder.mkdir(parents=True)
    per = claims // modules
    for m in range(modules):
        write_module(folder, m, per, revision=0)


def write_module(folder: Path, m: int, count: int, revision: int) -> None:
    (folder / f"mod{m:02d}.py").write_text(MODULE.format(module=m, exercise=m + 1, count=count, revision=revision))


def check(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", _SAMPLED, "check", *args], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"check {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"check {' '.join(args)} exited {result['code']}: {proc.stderr[-2000:]}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--catalogue", type=int, default=1000)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        many, catalogue, cache = base / "many", base / "catalogue", base / "cache"
        write_folder(many, args.claims, args.modules)
        write_folder(catalogue, args.catalogue, args.modules)
        jobs = ("--jobs", str(args.jobs))

        cold = check("ex*.scale.*", "--claims", str(many), "--no-cache", *jobs)  # these claims, not the seed's
        print(f"{args.claims} claims in {args.modules} modules, cold, --jobs {args.jobs}: {cold['seconds']:.2f} s, "
              f"{args.claims / cold['seconds']:.0f} claims/s")
        print(f"  peak resident memory: checker {cold['parent'] / 1024:.0f} MiB, "
              f"largest other process {cold['others'] / 1024:.0f} MiB")

        per = args.catalogue // args.modules
        check("all", "--claims", str(catalogue), "--cache-dir", str(cache), *jobs)
        unchanged = check("all", "--claims", str(catalogue), "--cache-dir", str(cache), *jobs)
        edited = args.modules // 2
        write_module(catalogue, edited, per, revision=1)
        recheck = check("all", "--claims", str(catalogue), "--cache-dir", str(cache), *jobs)
        alone = check(f"ex{edited + 1}.scale", "--claims", str(catalogue), "--no-cache", *jobs)
        print(f"{args.catalogue}-claim catalogue in {args.modules} modules, one module ({per} claims) edited:")
        print(f"  check all, nothing changed:       {unchanged['seconds']:.2f} s")
        print(f"  check all after the edit:         {recheck['seconds']:.2f} s")
        print(f"  that module alone, cold:          {alone['seconds']:.2f} s")
        print(f"  ratio (after the edit / alone):   {recheck['seconds'] / alone['seconds']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
