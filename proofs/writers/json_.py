"""The versioned JSON report."""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional

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

    def __init__(self, context, *, shard: Optional[Mapping[str, Any]] = None, **options: Any) -> None:
        super().__init__(context, **options)
        # the "shard" member of a `check --shard K/N` report (proofs.shard.record), which `merge` reads; None otherwise
        self.shard = shard

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
        if self.shard is not None:  # built by the checker from ids, numbers and digests: written as it is, never cut
            document["shard"] = dict(self.shard)
        return _dumps(document, indent=2) + "\n"
