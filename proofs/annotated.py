"""The annotated material: one offline HTML page of the course text, each cited passage marked by its claims' results."""

from __future__ import annotations

import dataclasses

import json
import re
import xml.etree.ElementTree as ET
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from proofs import coverage as _coverage  # a module, not its names: proofs.coverage imports the writers, which import this
from proofs.material import Document, Miss, locate
from proofs.model import Claim, Result
from proofs.writers.base import checked_lines, commentary
from proofs.writers.escape import xml_text

__all__ = ["render", "render_scan", "math_html"]

# every piece of data on the page goes through this: XML-legal characters, markup escaped (attributes included)
_e = xml_text

_MATHML_NS = "http://www.w3.org/1998/Math/MathML"
# The MathML elements and attributes a converted formula may keep; anything else (a script, an href, a style, an
# event handler) makes the formula shown as its escaped source instead.
_MATHML_TAGS = frozenset(
    "math mi mn mo ms mspace mtext mrow mfrac msqrt mroot mstyle merror mpadded mphantom mfenced menclose msub msup "
    "msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd mlabeledtr semantics".split())
_MATHML_ATTRS = frozenset(
    "display mathvariant stretchy fence separator lspace rspace minsize maxsize columnalign rowalign columnspacing "
    "rowspacing columnlines rowlines frame framespacing accent accentunder movablelimits form width height depth "
    "linethickness notation symmetric largeop displaystyle scriptlevel open close separators align equalrows "
    "equalcolumns columnwidth".split())
# How strongly a status marks a passage: the worst of a passage's claims is its mark.
_ORDER = {"fail": 0, "missing": 1, "erratum": 2, "pass": 3}
_BLANK = re.compile(r"\n[ \t]*\n")

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
.doc{margin:2rem 0}.passage{display:grid;grid-template-columns:1fr 16rem;gap:1rem;padding:.2rem .6rem;border-left:6px solid transparent}
.passage[data-status=pass]{border-color:#2e7d32;background:#f1f8f1}.passage[data-status=erratum]{border-color:#ed6c02;background:#fff6ec}
.passage[data-status=fail],.passage[data-status=missing]{border-color:#c62828;background:#fdeeee}
.passage.uncovered-units{outline:2px dashed #7b1fa2}ul.cites,ul.uncovered{margin:0;padding-left:1rem;font-size:.85em}
.badge{font-family:monospace}.badge.pass{color:#2e7d32}.badge.erratum{color:#b45309}.badge.fail,.badge.missing{color:#c62828}
ul.uncovered li{color:#7b1fa2}pre{background:#f6f6f6;padding:.5rem;overflow:auto;white-space:pre-wrap}
pre.plain{background:none;padding:0;font-family:inherit}
p.part{margin:0;font-size:.8em;color:#555;font-family:monospace}
section.claim{border:1px solid #ccc;border-radius:6px;padding:.4rem 1rem;margin:.8rem 0}.note{color:#555}code.tex{color:#333}
"""


def _convert(latex: str, display: bool) -> Optional[str]:
    try:
        from latex2mathml.converter import convert
    except ImportError:
        return None
    try:
        return convert(latex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula the converter cannot read is shown as its source
        return None


def _clean(node: ET.Element) -> Optional[str]:
    """The element re-serialised with only MathML elements and attributes, every text escaped; None if it holds
    anything else."""
    tag = node.tag
    if isinstance(tag, str) and tag.startswith("{"):
        namespace, _, tag = tag[1:].partition("}")
        if namespace != _MATHML_NS:
            return None
    if tag not in _MATHML_TAGS:
        return None
    attrs = []
    for key, value in node.attrib.items():
        if key not in _MATHML_ATTRS:
            return None
        attrs.append(f' {key}="{_e(value)}"')
    if tag == "math":
        attrs.insert(0, f' xmlns="{_MATHML_NS}"')
    children = []
    for child in node:
        inner = _clean(child)
        if inner is None:
            return None
        children.append(inner + _e(child.tail or ""))
    return f"<{tag}{''.join(attrs)}>{_e(node.text or '')}{''.join(children)}</{tag}>"


def math_html(latex: str, display: bool) -> str:
    """A formula as MathML when latex2mathml is installed and its output is plain MathML; otherwise the formula's
    source, escaped, in a code element."""
    converted = _convert(latex, display)
    if converted is not None:
        try:
            cleaned = _clean(ET.fromstring(converted))
        except ET.ParseError:
            cleaned = None
        if cleaned is not None:
            return cleaned
    source = f"$${latex}$$" if display else f"${latex}$"
    return f'<code class="tex">{_e(source)}</code>'


# LaTeX's text structure, matched in escaped prose: what each becomes on the page (only these tags can appear).
_LATEX_TEXT = [
    (re.compile(r"\\(?:sub)*section\*?\{([^{}\n]*)\}"), r"<strong class=\"section\">\1</strong>"),
    (re.compile(r"\\(?:sub)?paragraph\*?\{([^{}\n]*)\}"), r"<strong>\1</strong>"),
    (re.compile(r"\\textbf\{([^{}\n]*)\}"), r"<strong>\1</strong>"),
    (re.compile(r"\\(?:emph|textit)\{([^{}\n]*)\}"), r"<em>\1</em>"),
    (re.compile(r"\\texttt\{([^{}\n]*)\}"), r"<code>\1</code>"),
    (re.compile(r"[ \t]*\\(?:begin|end)\{(?:enumerate|itemize|description)\}[ \t]*\n?"), ""),
    (re.compile(r"\\item\b\s*"), "• "),
    (re.compile(r"[ \t]*\\(?:maketitle|tableofcontents|newpage|clearpage|noindent|medskip|bigskip|smallskip)(?![A-Za-z])[ \t]*\n?"), ""),
    (re.compile(r"(?<!\\)~"), "\u00a0"),
    (re.compile(r"\\\\"), ""),
]


def _latex_text(out: str) -> str:
    for pattern, replacement in _LATEX_TEXT:
        out = pattern.sub(replacement, out)
    return out


def _inline(text: str, latex: bool = False) -> str:
    """Markdown emphasis and code of escaped prose (LaTeX's sections, emphasis and lists for a LaTeX file): the text
    is escaped first, so only these tags can appear."""
    out = _e(text)
    if latex:
        return _latex_text(out).strip("\n").replace("\n", "<br>\n")
    out = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])", r"<em>\1</em>", out)
    return out.replace("\n", "<br>\n")


def _results(results: Iterable[Any]) -> tuple[dict[str, Result], list[str]]:
    by_id, notes = {}, []
    for n, r in enumerate(results, 1):
        if not isinstance(r, Result):
            try:
                r = Result.from_json(r)
                if not isinstance(r.id, str):
                    raise TypeError("the id is not a string")
            except Exception as exc:  # noqa: BLE001 - a malformed result is a note on the page, never a crash
                notes.append(f"result {n} is unreadable ({type(exc).__name__}: {str(exc)[:200]}); it is not shown")
                continue
        by_id[r.id] = r
    return by_id, notes


def _status(claim_id: str, by_id: Mapping[str, Result]) -> str:
    r = by_id.get(claim_id)
    return "missing" if r is None else r.status.value


def _blocks(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for m in _BLANK.finditer(text):
        if text[at:m.start()].strip():
            spans.append((at, m.start()))
        at = m.end()
    if text[at:].strip():
        spans.append((at, len(text)))
    return spans


# A LaTeX file's text that sets up the document and prints nothing: lines of these commands and comments.
_PREAMBLE_LINE = re.compile(
    r"[ \t]*(?:\\(?:documentclass|usepackage|RequirePackage|newcommand|renewcommand|providecommand|DeclareMathOperator"
    r"|def|title|author|date|maketitle|setlength|pagestyle|geometry|hypersetup|newtheorem|input|include)(?![A-Za-z]).*|%.*)?")
_BEGIN_DOCUMENT = re.compile(r"\\begin\s*\{document\}")
_END_DOCUMENT = re.compile(r"\\end\s*\{document\}")


def _shown(p: Any, fmt: str) -> list[tuple[int, int]]:
    """The spans of a passage the page shows, block by block: a code cell whole; of a LaTeX file only what it prints
    (between \\begin{document} and \\end{document} when it has them, and never a block of preamble commands)."""
    if p.kind == "code":
        return [(0, len(p.text))]
    spans = _blocks(p.text)
    if fmt != "latex":
        return spans
    begin = _BEGIN_DOCUMENT.search(p.text)
    lo = begin.end() if begin else 0
    end = _END_DOCUMENT.search(p.text, lo)
    hi = end.start() if end else len(p.text)
    shown = []
    for start, stop in spans:
        start, stop = max(start, lo), min(stop, hi)
        block = p.text[start:stop]
        if start < stop and block.strip() and not all(_PREAMBLE_LINE.fullmatch(line) for line in block.splitlines()):
            shown.append((start, stop))
    return shown


def _document(doc: Document, claims: Sequence[Any], by_id: Mapping[str, Result], coverage: Optional["_coverage.Coverage"]) -> str:
    cited: list[tuple[int, int, str, str]] = []
    notes = []
    for c in claims:
        for a in c.anchors:
            if a.file != doc.file:
                continue
            where = locate(doc, a.snippet)
            if isinstance(where, Miss):
                notes.append(f"claim {c.id}: anchor {a.snippet!r} {where}")
            else:
                cited.append((where.start, where.end, c.id, a.snippet))
    uncovered = [u for u in (coverage.uncovered if coverage else []) if u.file == doc.file]
    out = [f'<div class="doc"><h2>{_e(doc.file)}</h2>']
    out += [f'<p class="note anchor-miss">{_e(n)}</p>' for n in notes]
    starts, shown_part = _coverage.parts(doc), ""
    for p in doc.passages:
        if p.cell is not None:
            out.append(f'<p class="note">cell {p.cell} ({_e(p.kind)})</p>')
        for start, end in _shown(p, doc.format):
            s, e = p.start + start, p.start + end
            text = p.text[start:end]
            html = f"<pre>{_e(text)}</pre>" if p.kind == "code" else _block(text, _kind(p, doc))
            here = list(dict.fromkeys(cid for cs, ce, cid, _ in cited if cs < e and s < ce))
            units = [u for u in uncovered if u.start < e and s < u.end]
            marks = sorted((_status(cid, by_id) for cid in here), key=_ORDER.get)
            status = f' data-status="{marks[0]}"' if marks else ""
            classes = "passage uncovered-units" if units else "passage"
            line = doc.line_of(s)[0]
            side = "".join(f'<li><a class="badge {_e(_status(cid, by_id))}" href="#claim-{_e(cid)}">{_e(cid)}: '
                           f"{_e(_status(cid, by_id))}</a></li>" for cid in here)
            side = f'<ul class="cites">{side}</ul>' if side else ""
            part = _coverage.part_at(doc, max(s, e - 1), starts)  # the part the block ends in
            if part != shown_part:  # where a part (or an exercise) starts, its name beside the text
                side = f'<p class="part">{_e(part or "before the first exercise")}</p>' + side
                shown_part = part
            if units:
                side += '<ul class="uncovered">' + "".join(f"<li>uncovered {_e(u.kind)}: {_e(u.text)}</li>" for u in units) + "</ul>"
            out.append(f'<div class="{classes}"{status} data-line="{line}" data-part="{_e(part)}"><div class="text">{html}</div>'
                       f'<div>{side}</div></div>')
    out.append("</div>")
    return "\n".join(out)


@dataclasses.dataclass(frozen=True)
class _Stub:
    """A result whose claim is not known to the page: shown from the result alone."""

    id: str
    statement: str
    formal: str = ""
    erratum: Any = None
    anchors: tuple = ()


def _claim(c: Any, by_id: Mapping[str, Result]) -> str:
    r = by_id.get(c.id)
    status = _status(c.id, by_id)
    out = [f'<section class="claim" id="claim-{_e(c.id)}" data-status="{_e(status)}">',
           f'<p><span class="badge {_e(status)}">{_e(c.id)}</span> {_e(r.verdict.value if r else "not in these results")}, '
           f"{_e(status)}</p>", f"<p>{_e(c.statement)}</p>"]
    note = commentary(c) if isinstance(c, Claim) else None
    if note:
        out.append(f"<p><em>{_e(note)}</em></p>")
    if r is not None:
        out.extend(f"<p><code>{_e(line)}</code></p>" for line in checked_lines(r))
        out.append(f"<p><em>Why:</em> {_e(r.reason)}</p>")
        shown = {k: r.evidence[k] for k in ("counterexample", "witness", "replay") if k in r.evidence}
        if shown:
            out.append(f"<pre>{_e(json.dumps(shown, indent=2, ensure_ascii=False, default=str))}</pre>")
    if c.erratum is not None:
        fix = c.erratum.corrected_by
        out.append(f'<p><strong>erratum:</strong> {_e(c.erratum.reason)} Corrected by <a href="#claim-{_e(fix)}">{_e(fix)}</a> '
                   f"({_e(_status(fix, by_id))}).</p>")
    out.append("</section>")
    return "\n".join(out)


def render(documents: Sequence[Document], results: Iterable[Union[Result, Mapping[str, Any]]], claims: Iterable[Any],
           coverage: Optional["_coverage.Coverage"] = None, title: str = "annotated material", notes: Sequence[str] = ()) -> str:
    """The page: each document passage by passage (Markdown and LaTeX math as MathML, notebooks cell by cell, plain
    text as text), every passage an anchor cites marked with the status of each claim citing it and linked to that
    claim's result (verdict, the statement checked, counterexample, corrected claim of an erratum); the units
    `coverage` leaves uncovered marked too. Claims are proofs.model.Claim objects; results are Result objects or
    their JSON. A claim without a result is marked missing. The page makes no network request."""
    by_id, unread = _results(results)
    notes = [*notes, *unread]
    claims = list(claims)
    files = {d.file for d in documents}
    cited = [c for c in claims if any(a.file in files for a in c.anchors)]
    cited_ids = {c.id for c in cited}
    # the corrected claim of an erratum is shown beside it even when it cites no passage itself
    cited += [c for c in claims if c.id not in cited_ids and any(x.erratum and x.erratum.corrected_by == c.id for x in cited)]
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(title)}</title>", f"<style>{_STYLE}</style></head><body>", f"<h1>{_e(title)}</h1>"]
    parts += [f'<p class="note">{_e(n)}</p>' for n in notes]
    if coverage is not None:
        t = coverage.to_json()["totals"]
        parts.append(f'<p class="coverage">coverage: {t["covered"]} covered, {t["excluded"]} excluded, {t["uncovered"]} '
                     f'uncovered of {t["total"]} units ({t["percent"]:g}%)</p>')
        parts += [f'<p class="note">{_e(p)}</p>' for p in coverage.problems]
    parts += [_document(d, claims, by_id, coverage) for d in documents]
    parts.append("<h2>Claims</h2>")
    parts += [_claim(c, by_id) for c in cited]
    # every other result of the run too, so that the page reports every claim checked, cited here or not
    shown = {c.id for c in cited}
    known = {c.id: c for c in claims}
    others = [known.get(i) or _Stub(i, r.statement) for i, r in by_id.items() if i not in shown]
    if others:
        parts.append("<h2>Claims that cite no passage shown here</h2>")
        parts += [_claim(c, by_id) for c in others]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# How a formula is marked by the scan: the first status here among its steps.
_SCAN_ORDER = ("refuted", "needs review", "unknown", "acknowledged", "checked", "proved", "skipped", "definition")
_SCAN_STYLE = """
.step{border-bottom:3px solid #999;padding:0 .1rem}.step.display{display:block;text-align:center}
.step[data-status=refuted]{border-color:#c62828;background:#fdeeee}
.step[data-status="needs review"]{border-color:#e65100;background:#fff3e0}
.step[data-status=acknowledged]{border-color:#ed6c02;background:#fff6ec}.step[data-status=unknown]{border-color:#7b1fa2;background:#f6eefa}
.step[data-status=checked]{border-color:#9ccc65}.step[data-status=proved]{border-color:#2e7d32;background:#f1f8f1}
.step[data-status=skipped]{border-bottom-style:dashed;border-color:#9e9e9e}.step[data-status=definition]{border-color:#1565c0}
table.steps{border-collapse:collapse;font-size:.9em}table.steps td,table.steps th{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top}
"""


def _scan_status(step: Any) -> str:
    return "acknowledged" if step.status in ("refuted", "needs review") and step.acknowledged else step.status


def _scan_title(steps: Sequence[Any]) -> str:
    lines = []
    for s in steps:
        line = f"{_scan_status(s)}: {s.text}: {s.reason}"
        if s.acknowledged:
            line += f" (acknowledged: {s.acknowledged})"
        lines.append(line)
    return "\n".join(lines)


def _kind(p: Any, doc: Document) -> str:
    """How a passage that is not code is shown (`_block`): "text", "latex" or "markdown"."""
    return "text" if p.kind == "text" else "latex" if doc.format == "latex" else "markdown"


def _block(text: str, kind: str, offset: int = 0, steps: Sequence[Any] = ()) -> str:
    """A block of the material: its formulas as MathML; its prose escaped (with Markdown's or LaTeX's emphasis, and a
    Markdown heading as a heading) or, for a plain-text file, kept as it is laid out. A formula holding scan steps
    is wrapped in a mark: its worst status, and a title listing each step's status, text and reason."""
    heading = re.match(r"\s*(#{1,6})\s+", text) if kind == "markdown" else None
    body_at = heading.end() if heading else 0
    body = text[body_at:]
    out, at = [], 0
    for start, end, latex, display in _coverage.formulas(body):
        lo, hi = offset + body_at + start, offset + body_at + end
        inside = [s for s in steps if lo <= s.start < hi]
        out.append(_e(body[at:start]) if kind == "text" else _inline(body[at:start], kind == "latex"))
        shown = math_html(latex.strip(), display)
        if inside:
            status = min((_scan_status(s) for s in inside), key=_SCAN_ORDER.index)
            shown = (f'<span class="step{" display" if display and kind != "text" else ""}" data-status="{_e(status)}" data-line="{inside[0].line}" '
                     f'title="{_e(_scan_title(inside))}">{shown}</span>')
        out.append(shown)
        at = end
    out.append(_e(body[at:]) if kind == "text" else _inline(body[at:], kind == "latex"))
    html = "".join(out)
    if kind == "text":
        return f'<pre class="plain">{html}</pre>'
    if heading:
        level = min(6, len(heading.group(1)) + 1)
        return f"<h{level}>{html}</h{level}>"
    return f"<p>{html}</p>"


def render_scan(documents: Sequence[Document], steps: Sequence[Any], summary: Mapping[str, Any],
                problems: Sequence[str] = (), title: str = "the material, scanned") -> str:
    """The page of a scan (proofs.scan): each document in place, every formula holding steps marked with the worst
    status of its steps (refuted, needs review, unknown, acknowledged, checked, proved, skipped, definition) and a title giving each
    step's reason and counterexample; then the refuted, needs-review and unknown steps in a table. The page makes no network
    request; every piece of material text is escaped."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(title)}</title>", f"<style>{_STYLE}{_SCAN_STYLE}</style></head><body>", f"<h1>{_e(title)}</h1>"]
    counts = ", ".join(f"{summary.get(k, 0)} {label}" for k, label in (
        ("proved", "proved"), ("checked", "checked"), ("refuted", "refuted"), ("needs_review", "need review"),
        ("acknowledged", "acknowledged"), ("unknown", "unknown"), ("skipped", "skipped"), ("definition", "definitions")))
    parts.append(f'<p class="summary">{_e(summary.get("steps", 0))} steps in {_e(summary.get("spans", 0))} formulas: {_e(counts)}</p>')
    parts += [f'<p class="note">{_e(p)}</p>' for p in problems]
    for doc in documents:
        mine = [s for s in steps if s.file == doc.file]
        parts.append(f'<div class="doc"><h2>{_e(doc.file)}</h2>')
        for p in doc.passages:
            if p.cell is not None:
                parts.append(f'<p class="note">cell {p.cell} ({_e(p.kind)})</p>')
            for start, end in _shown(p, doc.format):
                text = p.text[start:end]
                if p.kind == "code":
                    parts.append(f"<pre>{_e(text)}</pre>")
                else:
                    parts.append(_block(text, _kind(p, doc), p.start + start, mine))
        parts.append("</div>")
    failing = [s for s in steps if s.status in ("refuted", "needs review", "unknown")]
    if failing:
        parts.append("<h2>Refuted, needs-review and unknown steps</h2>")
        rows = "".join(f"<tr><td>{_e(s.where)}</td><td>{_e(_scan_status(s))}</td><td><code>{_e(s.text)}</code></td>"
                       f"<td>{_e(s.reason)}</td></tr>" for s in failing)
        parts.append(f'<table class="steps"><tr><th>where</th><th>status</th><th>step</th><th>why</th></tr>{rows}</table>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
