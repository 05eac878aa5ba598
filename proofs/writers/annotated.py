"""The annotated sheet: the material itself, every cited passage marked with the status of the claims citing it."""

from __future__ import annotations

from proofs import annotated, coverage, material
from proofs.writers.base import Writer

__all__ = ["AnnotatedWriter"]


class AnnotatedWriter(Writer):
    format = "annotated"
    filename = "sheet.html"

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        documents, notes = [], []
        if self.context.material is None:
            notes.append("the annotated sheet shows the material given with --material DIR; this run had none")
        else:
            for name in material.discover(self.context.material):
                try:
                    documents.append(material.read(self.context.material, name))
                except material.MaterialError as exc:
                    notes.append(str(exc))
        claims = list(self.context.claims.values())
        try:
            exclusions = [x for path in self.context.exclusions for x in coverage.load_exclusions(path)]
        except coverage.CoverageError as exc:
            exclusions = []
            notes.append(str(exc))
        measured = coverage.measure(documents, coverage.citations(claims), exclusions) if documents else None
        if interrupted:
            notes.insert(0, "the run was interrupted: claims that did not finish are marked missing")
        return annotated.render(documents, self.results, claims, measured, title="the material, annotated", notes=notes)
