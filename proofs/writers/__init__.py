"""Report writers, one per format; each takes results one at a time and returns the text to emit."""

from __future__ import annotations

from proofs.writers.annotated import AnnotatedWriter
from proofs.writers.base import ReportContext, Writer
from proofs.writers.github import GithubWriter
from proofs.writers.html import HtmlWriter
from proofs.writers.json_ import JsonWriter
from proofs.writers.junit import JunitWriter
from proofs.writers.markdown import MarkdownWriter
from proofs.writers.sarif import SarifWriter
from proofs.writers.text import TextWriter

__all__ = ["FORMATS", "ReportContext", "Writer", "writer_for"]

# format name -> writer class; the class knows its default file name for --report-dir
FORMATS = {w.format: w for w in (TextWriter, JsonWriter, MarkdownWriter, JunitWriter, HtmlWriter, AnnotatedWriter,
                                GithubWriter, SarifWriter)}


def writer_for(name: str, context: ReportContext, **options) -> Writer:
    return FORMATS[name](context, **options)
