"""Escaping for each medium: terminal text, XML (JUnit, HTML) and Markdown; data never becomes markup or control."""

from __future__ import annotations

import html
import re

__all__ = ["visible", "one_line", "block", "xml_legal", "xml_text", "md_text", "md_code", "md_fenced"]

# characters a terminal or viewer acts on: C0 controls but tab and newline, DEL, C1 controls, Unicode line and
# paragraph separators, and the bidirectional overrides that reorder what is shown
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# characters XML 1.0 cannot carry, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Markdown punctuation that can start emphasis, code, links, images, autolinks, headings, lists, tables or math
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$@])")


def _code(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(text: str) -> str:
    """Text for a terminal with every control character (tab and newline kept) shown as an escape such as \\x1b."""
    return _CONTROL.sub(lambda m: _code(m.group()), str(text))


def one_line(text: str) -> str:
    """Text for one terminal line: control characters and newlines shown as escapes."""
    return visible(str(text).replace("\r", "\\r").replace("\n", "\\n"))


def block(text: str, continuation: str) -> str:
    """Text that may span lines, for a terminal: every line after the first starts with `continuation`, so that no
    line of data can pass for a line of the report; control characters are shown as escapes."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return f"\n{continuation}".join(visible(line) for line in lines)


def xml_legal(text: str) -> str:
    """Text with every character XML 1.0 cannot carry shown as an escape such as \\x01 or \\ufffe."""
    return _NOT_XML.sub(lambda m: _code(m.group()), str(text))


def xml_text(text: str) -> str:
    """Text for HTML or XML content and attribute values: legal characters only, markup escaped."""
    return html.escape(xml_legal(text), quote=True)


def md_text(text: str) -> str:
    """Text for a Markdown paragraph or table cell, on one line: no emphasis, code, link, image, autolink, HTML,
    heading, list or table break can come from it."""
    text = xml_legal(visible(str(text)))
    text = " ".join(text.split())
    out = []
    for ch in text:
        if ch in "<>&\"":
            out.append(html.escape(ch, quote=True))
        elif _MD_SPECIAL.fullmatch(ch):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def md_code(text: str, *, table: bool = False) -> str:
    """Text as a Markdown code span on one line, nothing in it read as markup; in a table, pipes are escaped (GFM
    splits cells before it reads code spans)."""
    text = " ".join(xml_legal(visible(str(text))).split())
    if table:
        text = text.replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_fenced(text: str, info: str = "") -> str:
    """A fenced code block whose fence is longer than any run of backticks inside it; control characters shown."""
    text = xml_legal(visible(str(text)))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"
