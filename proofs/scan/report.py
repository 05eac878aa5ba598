"""What a scan found, as text and as JSON, and the gate.

JSON form (`Report.to_json`), schema "proofs-scan/1":
  {"schema": "proofs-scan/1", "material": str, "files": [str], "steps": [STEP],
   "summary": {"files": int, "spans": int, "steps": int, "parsed": int, "proved": int, "checked": int,
               "refuted": int, "needs_review": int, "acknowledged": int, "unknown": int, "skipped": int, "definition": int, "errors": int,
               "read_by_both": int, "skip_reasons": {reason: int}},
   "problems": [str], "passed": bool}
  STEP = {"file": str, "line": int, "cell": int|null, "text": str, "relation": "="|"<"|">"|"<="|">="|"!="|other,
          "status": "proved"|"checked"|"refuted"|"needs review"|"unknown"|"skipped"|"definition", "reason": str,
          "counterexample": {"values": {name: "p/q"}, "left": str, "right": str}  (refuted steps, and needs-review
                            steps refuted as read; a matrix step's values give each input matrix as rows of "p/q", and
                            it adds "sizes", "indices", "layout" ("column" or "row"), "shapes" ({letter: [rows,
                            columns]}, [0, 0] a scalar) and "shapes_only" (true when the shapes alone are the
                            counterexample)),
          "acknowledged": str  (an acknowledged refuted or needs-review step only), "erratum": str  (the id of the
          claim of a loaded pack that records it as an erratum, which acknowledges it), "error": true  (a check that
          crashed or timed out),
          "read_by": ["scan", "sympy"] | ["scan"]  (a step read into expressions)}
spans counts the formulas found; parsed the steps read into expressions (proved, checked, refuted, needs review and
unknown); needs_review counts the steps that need review: refuted as read, but only without a condition their sentence
states that the scan could not read, or decided differently by the exact and the numerical evaluation (each fails
the gate unless acknowledged, as a refuted step does); acknowledged counts the acknowledged steps of both kinds;
skip_reasons counts skipped steps by the kind of their reason. Each side of a step is read twice: by the scan's reader,
which decides what it means, and by sympy's LaTeX parser (proofs.scan.sympy_reader); read_by says whether sympy's
parser read both sides as the scan did (["scan", "sympy"]) or could not read one (["scan"]); a step it reads
otherwise is skipped ("read two ways: ..."); read_by_both counts the steps read alike. A counterexample's names are the free symbols
("x"), entries of indexed names ("x[2]") and, for a sum written without bounds (\\sum_i), its number of terms ("#i").
passed is false when a step is refuted or needs review and is not acknowledged (by --acknowledged, or as an erratum a
loaded pack records), a check crashed or timed out, an acknowledgement is stale, or a material file could not be read.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from proofs.scan.steps import ACKNOWLEDGEABLE, STATUSES, Step
from proofs.writers.escape import one_line

__all__ = ["SCHEMA", "Report"]

SCHEMA = "proofs-scan/1"
# the statuses of a step read into expressions and checked
_PARSED = ("proved", "checked", "refuted", "needs review", "unknown")


@dataclasses.dataclass(frozen=True)
class Report:
    """Produced by proofs.scan.command: every step of the scanned files and the problems met."""

    # The material directory, as given.
    material: str
    # The files scanned, in order.
    files: tuple[str, ...]
    # How many formulas the files hold.
    spans: int
    steps: tuple[Step, ...]
    # Unreadable files, stale acknowledgements: each fails the gate.
    problems: tuple[str, ...] = ()

    @property
    def failing(self) -> list[Step]:
        return [s for s in self.steps if (s.status in ACKNOWLEDGEABLE and not s.acknowledged) or s.error]

    @property
    def passed(self) -> bool:
        return not self.failing and not self.problems

    def summary(self) -> dict[str, Any]:
        counts = Counter(s.status for s in self.steps)
        out: dict[str, Any] = {"files": len(self.files), "spans": self.spans, "steps": len(self.steps),
                               "parsed": sum(counts[k] for k in _PARSED)}
        out.update({k: counts[k] for k in ("proved", "checked", "refuted")})
        out["needs_review"] = counts["needs review"]
        out["acknowledged"] = sum(1 for s in self.steps if s.acknowledged)
        out.update({k: counts[k] for k in ("unknown", "skipped", "definition")})
        out["errors"] = sum(1 for s in self.steps if s.error)
        out["read_by_both"] = sum(1 for s in self.steps if len(s.read_by) == 2 and s.status in _PARSED)
        reasons = Counter(s.kind for s in self.steps if s.status == "skipped")
        out["skip_reasons"] = dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "material": self.material, "files": list(self.files),
                "steps": [s.to_json() for s in self.steps], "summary": self.summary(), "problems": list(self.problems),
                "passed": self.passed}

    def to_text(self, verbose: bool = False) -> str:
        """One line per refuted, needs-review, unknown, checked or proved step (every step with verbose), the summary, and what
        fails the gate."""
        lines = []
        shown = STATUSES if verbose else ("refuted", "needs review", "unknown", "checked", "proved")
        for s in self.steps:
            if s.status not in shown:
                continue
            mark = f"{s.status} (acknowledged: {s.acknowledged})" if s.acknowledged else s.status
            lines.append(f"{one_line(s.where)}: {mark}: {one_line(s.text)}")
            lines.append(f"    {one_line(s.reason)}")
        n = self.summary()
        lines.append("")
        lines.append(f"{n['files']} file(s), {n['spans']} formulas, {n['steps']} steps: {n['proved']} proved, "
                     f"{n['checked']} checked, {n['refuted']} refuted, {n['needs_review']} need review ({n['acknowledged']} acknowledged), "
                     f"{n['unknown']} unknown, {n['skipped']} skipped, {n['definition']} definitions"
                     + (f", {n['errors']} errors" if n["errors"] else ""))
        if n["parsed"]:
            rest = n["parsed"] - n["read_by_both"]
            lines.append(f"read alike by sympy's LaTeX parser: {n['read_by_both']} of the {n['parsed']} steps read"
                         + (f" (it could not read a side of the other {rest})" if rest else ""))
        if n["skip_reasons"]:
            lines.append("skipped:")
            lines += [f"  {count:4d}  {one_line(reason)}" for reason, count in n["skip_reasons"].items()]
        for p in self.problems:
            lines.append(f"error: {one_line(p)}")
        if self.failing:
            lines.append(f"FAILED: {len(self.failing)} step(s) refuted or needing review and not acknowledged, or not checked"
                         " (acknowledge a reviewed one with --acknowledged FILE)")
        elif self.problems:
            lines.append("FAILED: see the errors above")
        return "\n".join(lines) + "\n"
