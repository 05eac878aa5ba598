"""The Markdown report: a summary table, then a section per erratum and per failure; fits a CI job summary."""

from __future__ import annotations

import html
import json
import re

from proofs.model import Result
from proofs.verdicts import Status
from proofs.writers.base import Writer, summary_line

__all__ = ["MarkdownWriter", "cell", "fenced"]

_ICON = {Status.PASS: "pass", Status.ERRATUM: "erratum", Status.FAIL: "**fail**"}


def cell(text: str) -> str:
    """Text safe inside a table cell: HTML escaped, pipes and backticks escaped, on one line."""
    text = html.escape(str(text), quote=False)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return " ".join(text.split())


def fenced(text: str, info: str = "") -> str:
    """A code block whose fence is longer than any run of backticks inside it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


class MarkdownWriter(Writer):
    format = "markdown"
    filename = "report.md"

    def finish(self, seconds: float, interrupted: bool = False) -> str:
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
        for r in self.results:
            time = "cached" if r.cached else f"{r.seconds:.2f} s"
            out.append(f"| `{cell(r.id)}` | {cell(r.verdict.value)} | {_ICON[r.status]} | {time} |")
        for title, status in (("Errata in the material", Status.ERRATUM), ("Failures", Status.FAIL)):
            chosen = [r for r in self.results if r.status is status]
            if chosen:
                out += ["", f"### {title}", ""]
                for r in chosen:
                    out += self._section(r)
        return "\n".join(out) + "\n"

    def _section(self, r: Result) -> list[str]:
        claim = self.context.claim_of(r)
        lines = [f"#### {cell(r.id)}", "", cell(r.statement), ""]
        if r.erratum:
            fix = f" Corrected by `{cell(claim.erratum.corrected_by)}`." if claim is not None and claim.erratum else ""
            lines += [f"*Erratum:* {cell(r.erratum)}.{fix}", ""]
        if r.status is Status.FAIL:
            lines += [f"*{cell(r.verdict.value)}:* {cell(r.reason)}", ""]
        refutation = self.refutation(r)
        lines += [fenced("\n".join([*refutation, f"rerun: {self.context.rerun_command(r)}"])), ""]
        if r.status is Status.FAIL and not refutation:
            lines += [fenced(json.dumps(r.evidence, indent=2), "json"), ""]
        return lines
