"""The versioned JSON report."""

from __future__ import annotations

import json

from proofs.jsonsafe import jsonable
from proofs.model import Result
from proofs.writers.base import Writer

__all__ = ["SCHEMA", "JsonWriter"]

SCHEMA = "proofs-report/1"


def _dumps(value, **options) -> str:
    # strict JSON (no NaN), non-ASCII text as itself
    return json.dumps(value, ensure_ascii=False, allow_nan=False, **options)


class JsonWriter(Writer):
    format = "json"
    filename = "report.json"

    def entry(self, r: Result) -> dict:
        document = r.to_json()
        _dumps(document)  # a result that cannot be written fails here, under the writer's guard, alone
        return document

    def document(self, entries: list, seconds: float, interrupted: bool) -> str:
        document = {
            "schema": SCHEMA,
            "tool": jsonable(dict(self.context.tool)),
            "summary": self.summary(seconds),
            "interrupted": interrupted,
            "load_errors": [jsonable(e.to_json()) for e in self.context.load_errors],
            "results": entries,
        }
        return _dumps(document, indent=2) + "\n"
