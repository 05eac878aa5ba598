"""The versioned JSON report."""

from __future__ import annotations

import json

from proofs.writers.base import Writer

__all__ = ["SCHEMA", "JsonWriter"]

SCHEMA = "proofs-report/1"


class JsonWriter(Writer):
    format = "json"
    filename = "report.json"

    def finish(self, seconds: float, interrupted: bool = False) -> str:
        document = {
            "schema": SCHEMA,
            "tool": dict(self.context.tool),
            "summary": self.summary(seconds),
            "interrupted": interrupted,
            "load_errors": [e.to_json() for e in self.context.load_errors],
            "results": [r.to_json() for r in self.results],
        }
        return json.dumps(document, indent=2) + "\n"
