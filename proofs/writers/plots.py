"""Plots as inline SVG, drawn by matplotlib when it is installed (the `report` extra)."""

from __future__ import annotations

import io
import re
import warnings
from typing import Mapping, Optional, Sequence

__all__ = ["available", "line_plot", "interval_plot"]


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _figure(width: float = 6.0, height: float = 3.2):
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "proofs"
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _svg(fig, title: str) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the font is drawn as a box, not worth a warning
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" class="plot" ', 1)
    return svg


def _attr(text: str) -> str:
    from proofs.writers.escape import xml_text

    return xml_text(text)


def _label(text) -> str:
    """Text from evidence as matplotlib shows it literally: short, and with no $ to start mathtext."""
    from proofs.writers.escape import xml_legal

    text = xml_legal(text)
    text = text if len(text) <= 80 else text[:79] + "…"
    return text.replace("$", r"\$")


def line_plot(plot: Mapping) -> Optional[str]:
    """Series against a common x, log-scaled y (gradient magnitudes), as an SVG element string."""
    if not available():
        return None
    fig = _figure()
    ax = fig.add_subplot()
    for label, ys in plot["series"].items():
        ax.plot(plot["x"], [max(float(y), 1e-30) for y in ys], marker=".", label=_label(label))
    ax.set_yscale("log")
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))  # plain labels: no mathtext to typeset
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(_label(plot.get("x_label", "steps back")))
    ax.set_ylabel("relative gradient magnitude")
    ax.set_title(_label(plot.get("title", "")))
    ax.legend(fontsize="small", ncol=2)
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.15, top=0.9)  # fixed margins: no second layout pass
    return _svg(fig, str(plot.get("title", "plot")))


def interval_plot(rows: Sequence[tuple[str, float, float, float]], title: str) -> Optional[str]:
    """One horizontal interval per row: (label, effect, low, high), with a line at 0."""
    if not available():
        return None
    height = 1.2 + 0.45 * len(rows)
    fig = _figure(8.0, height)
    ax = fig.add_subplot()
    for i, (_, effect, low, high) in enumerate(rows):
        ax.errorbar([effect], [i], xerr=[[effect - low], [high - effect]], fmt="o", capsize=4)
    ax.axvline(0, color="grey", linewidth=1)
    ax.set_yticks(range(len(rows)), [_label(r[0]) for r in rows])
    ax.set_xlabel("mean paired effect in the claimed direction")
    ax.set_title(title)
    fig.subplots_adjust(left=0.39, right=0.97, bottom=0.6 / height, top=1 - 0.4 / height)
    return _svg(fig, title)
