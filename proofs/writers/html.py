"""A single offline HTML page: verdicts, evidence, MathML formulas, inline SVG plots and a status filter."""

from __future__ import annotations

import html
import json
import re
from typing import Optional

from proofs.model import Result
from proofs.verdicts import Status
from proofs.writers import plots
from proofs.writers.base import Writer, summary_line

__all__ = ["HtmlWriter", "mathml"]

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}section.claim{border:1px solid #ccc;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
section.claim[data-status=pass]{border-left:6px solid #2e7d32}section.claim[data-status=erratum]{border-left:6px solid #ed6c02}
section.claim[data-status=fail]{border-left:6px solid #c62828}.head{display:flex;gap:1rem;flex-wrap:wrap;align-items:baseline}
.id{font-family:monospace;font-weight:bold}.badge{padding:0 .4rem;border-radius:4px;background:#eee}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:24rem}
math{font-size:1.1em}svg.plot{max-width:100%;height:auto}.note{color:#555}
"""

# evidence text that is an expression worth typesetting: powers, quotients, exp, log, sums, deltas, piecewise
_MATHY = re.compile(r"\*\*|/|exp\(|log\(|Sum\(|KroneckerDelta|Piecewise|Derivative")

_SCRIPT = """
for (const box of document.querySelectorAll('input[data-filter]')) {
  box.addEventListener('change', () => {
    for (const s of document.querySelectorAll('section.claim[data-status="' + box.dataset.filter + '"]')) s.hidden = !box.checked;
  });
}
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def mathml(formula: str, *, as_written: bool = True) -> Optional[str]:
    """A formula in sympy syntax as presentation MathML, or None when sympy cannot read it. as_written keeps the
    formula unevaluated (the material's form); derived expressions are read normally."""
    import sympy
    from sympy.printing.mathml import mathml as to_mathml

    try:
        with sympy.evaluate(not as_written):
            expr = sympy.sympify(formula)
    except (sympy.SympifyError, SyntaxError, TypeError, ValueError, AttributeError):
        return None
    body = to_mathml(expr, printer="presentation")
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">{body}</math>'


class HtmlWriter(Writer):
    format = "html"
    filename = "report.html"

    def __init__(self, context, **options) -> None:
        super().__init__(context)
        self._drawn: dict[str, str | None] = {}

    def finish(self, seconds: float, interrupted: bool = False) -> str:
        s = self.summary(seconds)
        by_id = {r.id: r for r in self.results}
        parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                 '<meta name="viewport" content="width=device-width, initial-scale=1">',
                 "<title>proofs report</title>", f"<style>{_STYLE}</style></head><body>", "<h1>proofs report</h1>"]
        if interrupted:
            parts.append('<p class="note"><strong>The run was interrupted</strong>; these are the results that finished.</p>')
        tool = ", ".join(f"{_e(k)} {_e(v)}" for k, v in self.context.tool.items())
        parts.append(f"<p>{_e(summary_line(s, seconds))}{' (' + tool + ')' if tool else ''}</p>")
        for e in self.context.load_errors:
            parts.append(f'<p class="note load-error"><strong>load error:</strong> {_e(str(e))}</p>')
        parts.append('<p class="filters">Show: ' + " ".join(
            f'<label><input type="checkbox" data-filter="{st.value}" checked> {st.value} ({s[st.value]})</label>'
            for st in Status) + "</p>")
        if not plots.available():
            parts.append('<p class="note">Plots are unavailable: matplotlib is not installed (pip install proofs[report]).</p>')
        for r in self.results:
            parts.append(self._claim(r, by_id))
        parts.append(self._experiments())
        parts.append(f"<script>{_SCRIPT}</script></body></html>")
        return "\n".join(p for p in parts if p) + "\n"

    def _claim(self, r: Result, by_id) -> str:
        claim = self.context.claim_of(r)
        out = [f'<section class="claim" id="{_e(r.id)}" data-status="{_e(r.status.value)}">',
               f'<div class="head"><span class="id">{_e(r.id)}</span><span class="badge">{_e(r.verdict.value)}</span>'
               f'<span class="badge">{_e(r.status.value)}</span><span>{"cached" if r.cached else f"{r.seconds:.2f} s"}</span>'
               f'<span>{_e(r.method)}</span></div>',
               f"<p>{_e(r.statement)}</p>"]
        if claim is not None:
            out.append(f"<p><em>The material:</em> {_e(claim.asserts)}</p>")
            out.append(f"<p><em>Formal:</em> {_e(claim.formal)}</p>")
            for formula in claim.formulas:
                rendered = mathml(formula)
                out.append(rendered if rendered else f"<pre>{_e(formula)}</pre>")
        if r.status is Status.FAIL or r.erratum:
            out.append(f"<p><em>Why:</em> {_e(r.reason)}</p>")
        if r.erratum and claim is not None and claim.erratum:
            corrected = by_id.get(claim.erratum.corrected_by)
            right = (f"<div><strong>corrected: {_e(corrected.id)}</strong> ({_e(corrected.verdict.value)}, "
                     f"{_e(corrected.status.value)})<p>{_e(corrected.statement)}</p></div>") if corrected else \
                f"<div><strong>corrected: {_e(claim.erratum.corrected_by)}</strong> (not in this run)</div>"
            out.append(f'<div class="pair"><div><strong>erratum</strong><p>{_e(r.erratum)}</p></div>{right}</div>')
        if r.assumptions:
            out.append("<details><summary>assumptions</summary><ul>" + "".join(f"<li>{_e(a)}</li>" for a in r.assumptions) + "</ul></details>")
        derivations = self._derivations(r.evidence)
        if derivations:
            out.append("<details open><summary>derived</summary>" + "".join(derivations) + "</details>")
        plot = r.evidence.get("plot")
        if isinstance(plot, dict) and "series" in plot:
            key = json.dumps(plot, sort_keys=True)
            if key not in self._drawn:  # an erratum and its correction often carry the same data
                self._drawn[key] = plots.line_plot(plot)
            svg = self._drawn[key]
            out.append(svg if svg else '<p class="note">plot unavailable without matplotlib</p>')
        out.append(f"<details><summary>evidence</summary><pre>{_e(json.dumps(r.evidence, indent=2))}</pre>"
                   f"<p>rerun: <code>{_e(self.context.rerun_command(r))}</code></p></details>")
        out.append("</section>")
        return "\n".join(out)

    def _derivations(self, evidence, prefix="") -> list[str]:
        """Expressions sympy derived (kept as text in the evidence), rendered as MathML by sympy's printer."""
        out = []
        for key, value in evidence.items():
            if isinstance(value, dict) and key.startswith("line"):
                out += self._derivations(value, prefix=f"{key}: ")
            elif isinstance(value, str) and len(value) < 600 and _MATHY.search(value):
                rendered = mathml(value, as_written=False)
                if rendered:
                    out.append(f'<div class="derivation"><code>{_e(prefix + key)}</code>{rendered}</div>')
        return out

    def _experiments(self) -> str:
        rows = [(r.id, t["effect"], t["ci95"][0], t["ci95"][1]) for r in self.results
                if isinstance(t := r.evidence.get("test"), dict) and "ci95" in t]
        if not rows:
            return ""
        svg = plots.interval_plot(rows, "experiments: effect with its 95% interval")
        return "<h2>Experiments</h2>" + (svg if svg else '<p class="note">plot unavailable without matplotlib</p>')
