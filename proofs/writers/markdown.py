"""The Markdown report: a summary table, then a section per erratum and per failure; fits a CI job summary."""

from __future__ import annotations

import json

from proofs.model import Result
from proofs.verdicts import Status
from proofs.writers.base import Writer, as_text, checked_lines, commentary, summary_line
from proofs.writers.escape import block, md_code, md_fenced, md_text

__all__ = ["MarkdownWriter", "cell", "fenced"]

# a value that spans lines continues behind this prefix inside a code block, so it cannot pass for a line of its own
_CONTINUED = "  | "
_ICON = {Status.PASS: "pass", Status.ERRATUM: "erratum", Status.FAIL: "**fail**"}

# text safe in a paragraph or table cell, on one line (escape.md_text)
cell = md_text
# a code block whose fence is longer than any run of backticks inside it (escape.md_fenced)
fenced = md_fenced


class MarkdownWriter(Writer):
    format = "markdown"
    filename = "report.md"

    def entry(self, r: Result) -> tuple[str, list[str]]:
        """The result's table row, and its section (for errata and failures)."""
        time = "cached" if r.cached else f"{r.seconds:.2f} s"
        row = f"| {md_code(r.id, table=True)} | {cell(r.verdict.value)} | {_ICON[r.status]} | {time} |"
        return row, self._section(r) if r.status in (Status.ERRATUM, Status.FAIL) else []

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        s = self.summary(seconds)
        out = ["## proofs report", ""]
        if interrupted:
            out += ["**The run was interrupted; the results below are those that finished.**", ""]
        out += [summary_line(s, seconds), ""]
        if self.context.load_errors:
            out += ["### Packs that could not be loaded", ""]
            out += [f"- **load error:** {cell(str(e))}" for e in self.context.load_errors]
            out += [""]
        out += ["| claim | verdict | status | time |", "| --- | --- | --- | ---: |"]
        out += [row for row, _ in entries]
        statements = [(r, checked_lines(r)) for r in self.results]
        if any(lines for _, lines in statements):
            out += ["", "### What each claim checked", ""]
            out += [f"- {md_code(r.id)}: {cell(line)}" for r, lines in statements for line in lines]
        for title, status in (("Errata in the material", Status.ERRATUM), ("Failures", Status.FAIL)):
            chosen = [section for r, (_, section) in zip(self.results, entries) if r.status is status]
            if chosen:
                out += ["", f"### {title}", ""]
                for section in chosen:
                    out += section
        return "\n".join(out) + "\n"

    def _section(self, r: Result) -> list[str]:
        claim = self.context.claim_of(r)
        lines = [f"#### {cell(r.id)}", "", cell(r.statement), ""]
        if r.erratum:
            fix = f" Corrected by {md_code(claim.erratum.corrected_by)}." if claim is not None and claim.erratum else ""
            lines += [f"*Erratum:* {cell(r.erratum)}.{fix}", ""]
        if r.status is Status.FAIL:
            lines += [f"*{cell(r.verdict.value)}:* {cell(r.reason)}", ""]
        note = commentary(claim)
        if note:
            lines += [f"*{cell(note)}*", ""]
        refutation = self.refutation(r)
        shown = [*checked_lines(r), *refutation, *self.citations(r), f"rerun: {self.context.rerun_command(r)}"]
        lines += [fenced("\n".join(block(line, _CONTINUED) for line in shown)), ""]
        if r.status is Status.FAIL and not refutation:
            lines += [fenced(json.dumps(as_text(r.evidence), indent=2, ensure_ascii=False), "json"), ""]
        return lines
