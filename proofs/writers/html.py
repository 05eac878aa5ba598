"""A single offline HTML page: verdicts, evidence, MathML from evidence trees, inline SVG plots and a status filter."""

from __future__ import annotations

import json
import math
from typing import Any, Optional

from proofs import mathtree
from proofs.model import Result
from proofs.verdicts import Status
from proofs.writers import plots
from proofs.writers.base import Writer, checked, commentary, summary_line
from proofs.writers.escape import xml_text

__all__ = ["HtmlWriter"]

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}section.claim{border:1px solid #ccc;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
section.claim[data-status=pass]{border-left:6px solid #2e7d32}section.claim[data-status=erratum]{border-left:6px solid #ed6c02}
section.claim[data-status=fail]{border-left:6px solid #c62828}.head{display:flex;gap:1rem;flex-wrap:wrap;align-items:baseline}
.id{font-family:monospace;font-weight:bold}.badge{padding:0 .4rem;border-radius:4px;background:#eee}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:24rem}
math{font-size:1.1em}svg.plot{max-width:100%;height:auto}.note{color:#555}
"""

_SCRIPT = """
for (const box of document.querySelectorAll('input[data-filter]')) {
  box.addEventListener('change', () => {
    for (const s of document.querySelectorAll('section.claim[data-status="' + box.dataset.filter + '"]')) s.hidden = !box.checked;
  });
}
"""


# every piece of data on the page goes through this: XML-legal characters, markup escaped (attributes included)
_e = xml_text

# evidence nested deeper than this is not searched for mathematics to typeset (it is still in the evidence block)
_MATH_DEPTH = 4
# at most this many series, and points per series, are drawn in one plot
_MAX_SERIES, _MAX_POINTS = 20, 2000
# at most this many experiments are drawn in the experiments plot
_MAX_ROWS = 60


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


def _numbers(values: Any, n: Optional[int] = None) -> bool:
    return isinstance(values, list) and 0 < len(values) <= _MAX_POINTS and (n is None or len(values) == n) and all(
        _finite(v) for v in values)


def plot_data(plot: Any) -> Optional[dict]:
    """The evidence's `plot` as line_plot draws it, when it has that shape: {"x": [numbers], "series": {name:
    [numbers, one per x]}, "title"?, "x_label"?}; None otherwise."""
    if not isinstance(plot, dict) or not _numbers(plot.get("x")) or not isinstance(plot.get("series"), dict):
        return None
    series = plot["series"]
    if not 0 < len(series) <= _MAX_SERIES or not all(_numbers(ys, len(plot["x"])) for ys in series.values()):
        return None
    data = {"x": plot["x"], "series": dict(series)}
    for key in ("title", "x_label"):
        if isinstance(plot.get(key), str):
            data[key] = plot[key]
    return data


def experiment_row(r: Result) -> Optional[tuple]:
    """(id, effect, low, high) from the evidence's `test`, when it has that shape; None otherwise."""
    t = r.evidence.get("test")
    if not isinstance(t, dict) or "ci95" not in t:
        return None
    ci, effect = t["ci95"], t.get("effect")
    if not _finite(effect) or not (isinstance(ci, list) and len(ci) == 2 and all(_finite(v) for v in ci)):
        return None
    return r.id, float(effect), float(ci[0]), float(ci[1])


def _drawn(draw, *args) -> str:
    try:
        svg = draw(*args)
    except Exception as exc:  # noqa: BLE001 - a plot that cannot be drawn is a note, not a lost report
        return f'<p class="note">plot not drawn: {_e(type(exc).__name__)}: {_e(str(exc)[:300])}</p>'
    return svg if svg else '<p class="note">plot unavailable without matplotlib</p>'


class HtmlWriter(Writer):
    format = "html"
    filename = "report.html"

    def __init__(self, context, **options) -> None:
        super().__init__(context)
        self._drawn: dict[str, str] = {}
        self._by_id: dict[str, Result] = {}

    def finish(self, seconds: float, interrupted: bool = False) -> str:
        self._by_id = {r.id: r for r in self.results}  # the corrected claim beside each erratum
        return super().finish(seconds, interrupted)

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        s = self.summary(seconds)
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
        parts += entries
        parts.append(self._experiments())
        parts.append(f"<script>{_SCRIPT}</script></body></html>")
        return "\n".join(p for p in parts if p) + "\n"

    def entry(self, r: Result) -> str:
        claim = self.context.claim_of(r)
        out = [f'<section class="claim" id="{_e(r.id)}" data-status="{_e(r.status.value)}">',
               f'<div class="head"><span class="id">{_e(r.id)}</span><span class="badge">{_e(r.verdict.value)}</span>'
               f'<span class="badge">{_e(r.status.value)}</span><span>{"cached" if r.cached else f"{r.seconds:.2f} s"}</span>'
               f'<span>{_e(r.method)}</span></div>',
               f"<p>{_e(r.statement)}</p>"]
        for label, value in checked(r):
            rendered = mathtree.mathml(value["math"]) or ""
            out.append(f'<div class="checked"><em>Checked{_e(f" ({label})" if label else "")}:</em> {rendered}'
                       f'<p class="note">{_e(value["text"])}</p></div>')
        if not checked(r) and r.evidence.get("verdict_asserted"):
            out.append('<p class="checked"><em>Checked:</em> nothing: the verdict was asserted by the claim\'s code</p>')
        if claim is not None:
            out += self._material(r, claim)
            note = commentary(claim)
            if note:
                out.append(f'<p class="note"><em>{_e(note)}</em></p>')
            # formulas are sympy-syntax text written by the claim's author: shown as written, never parsed
            out += [f'<pre class="formula">{_e(formula)}</pre>' for formula in claim.formulas]
        if r.status is Status.FAIL or r.erratum:
            out.append(f"<p><em>Why:</em> {_e(r.reason)}</p>")
        if r.erratum and claim is not None and claim.erratum:
            corrected = self._by_id.get(claim.erratum.corrected_by)
            right = (f"<div><strong>corrected: {_e(corrected.id)}</strong> ({_e(corrected.verdict.value)}, "
                     f"{_e(corrected.status.value)})<p>{_e(corrected.statement)}</p></div>") if corrected else \
                f"<div><strong>corrected: {_e(claim.erratum.corrected_by)}</strong> (not in this run)</div>"
            out.append(f'<div class="pair"><div><strong>erratum</strong><p>{_e(r.erratum)}</p></div>{right}</div>')
        if r.assumptions:
            out.append("<details><summary>assumptions</summary><ul>" + "".join(f"<li>{_e(a)}</li>" for a in r.assumptions) + "</ul></details>")
        derivations = self._derivations(r.evidence)
        if derivations:
            out.append("<details open><summary>derived</summary>" + "".join(derivations) + "</details>")
        if "plot" in r.evidence:
            out.append(self._plot(r.evidence["plot"]))
        out.append(f"<details><summary>evidence</summary><pre>{_e(json.dumps(r.evidence, indent=2, ensure_ascii=False))}</pre>"
                   f"<p>rerun: <code>{_e(self.context.rerun_command(r))}</code></p></details>")
        out.append("</section>")
        return "\n".join(out)

    def _material(self, r: Result, claim: Any) -> list[str]:
        """What the material prints, labelled so: the snippets the claim cites, each where it was found (with
        --material); then what the claim's author says it asserts, labelled as the author's words."""
        records = r.evidence.get("material") if isinstance(r.evidence.get("material"), list) else []
        found = {(x.get("file"), x.get("snippet")): x for x in records if isinstance(x, dict)}
        out = []
        if claim.anchors:
            items = []
            for a in claim.anchors:
                record = found.get((a.file, a.snippet), {})
                place = a.file + (f":{record['line']}" if record.get("found") and isinstance(record.get("line"), int) else "")
                if isinstance(record.get("cell"), int):
                    place += f" (cell {record['cell']})"
                items.append(f'<li><q class="material">{_e(a.snippet)}</q> <span class="note">{_e(place)}</span></li>')
            out.append(f'<div class="material"><em>The material:</em><ul>{"".join(items)}</ul></div>')
        out.append(f'<p><em>Asserts (the claim author\'s summary of the material):</em> {_e(claim.asserts)}</p>')
        return out

    def _derivations(self, evidence: dict, prefix: str = "", depth: int = 0) -> list[str]:
        """Every {"math": tree, "text": ...} value of the evidence (proofs.mathtree) as MathML; a tree that does not
        render is shown as its text. Nothing else is typeset: every other value stays text."""
        out = []
        for key, value in evidence.items():
            if not prefix and key == "checked":
                continue  # shown under "Checked"
            label = f"{prefix}{key}"
            if mathtree.is_math(value):
                rendered = mathtree.mathml(value["math"]) or f"<pre>{_e(value['text'])}</pre>"
                out.append(f'<div class="derivation"><code>{_e(label)}</code>{rendered}</div>')
            elif isinstance(value, dict) and depth < _MATH_DEPTH:
                out += self._derivations(value, prefix=f"{label}: ", depth=depth + 1)
        return out

    def _plot(self, plot: Any) -> str:
        data = plot_data(plot)
        if data is None:
            return '<p class="note">plot not drawn: the evidence\'s plot is not {"x": [numbers], "series": {name: [numbers]}}</p>'
        key = json.dumps(data, sort_keys=True)
        if key not in self._drawn:  # an erratum and its correction often carry the same data
            self._drawn[key] = _drawn(plots.line_plot, data)
        return self._drawn[key]

    def _experiments(self) -> str:
        tests = [r for r in self.results if isinstance(r.evidence.get("test"), dict) and "ci95" in r.evidence["test"]]
        rows = [row for row in map(experiment_row, tests) if row is not None]
        skipped = [r.id for r in tests if experiment_row(r) is None]
        if not tests:
            return ""
        note = (f'<p class="note">not plotted (their test is not {{"effect": number, "ci95": [low, high]}}): '
                f"{_e(', '.join(skipped))}</p>") if skipped else ""
        if len(rows) > _MAX_ROWS:
            note += f'<p class="note">only the first {_MAX_ROWS} of {len(rows)} experiments are plotted</p>'
        figure = _drawn(plots.interval_plot, rows[:_MAX_ROWS], "experiments: effect with its 95% interval") if rows else ""
        return "<h2>Experiments</h2>" + figure + note
