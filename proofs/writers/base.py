"""What every writer shares: the context of a run and the writer interface."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, ClassVar, Mapping, Optional

from proofs.model import Claim, Result
from proofs.verdicts import Status

__all__ = ["ReportContext", "Writer", "format_values", "summary_line"]


@dataclasses.dataclass(frozen=True)
class ReportContext:
    """Built by the CLI for one run: what writers may need beyond the results themselves."""

    # claims by id, for the formal statement, formulas and corrected claims
    claims: Mapping[str, Claim] = dataclasses.field(default_factory=dict)
    # the command that reruns one claim, without its id
    rerun: str = "python -m proofs check"
    # versions of the tool, python, z3 and sympy
    tool: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # packs that could not be loaded (registry.LoadError); a run with any fails
    load_errors: tuple = ()

    def claim_of(self, result: Result) -> Optional[Claim]:
        return self.claims.get(result.id.split("~")[0])

    def rerun_command(self, result: Result) -> str:
        return f"{self.rerun} {result.id.split('~')[0]}"


def format_values(values: Mapping[str, Any]) -> str:
    """`a = 1, b = 1/2` with every value, nested mappings flattened with dotted names."""
    parts = []
    for key, value in values.items():
        if isinstance(value, Mapping):
            parts.append(format_values({f"{key}.{k}": v for k, v in value.items()}))
        else:
            parts.append(f"{key} = {json.dumps(value) if isinstance(value, str) and not value else value}")
    return ", ".join(parts)


def summary_line(s: Mapping[str, Any], seconds: float) -> str:
    line = f"{s['total']} claims: {s['pass']} pass, {s['erratum']} erratum, {s['fail']} fail"
    if s["load_errors"]:
        line += f", {s['load_errors']} pack load error{'s' if s['load_errors'] > 1 else ''}"
    line = f"{line} in {seconds:.2f}s"
    if s.get("cached"):
        line += f" ({s['cached']} reused from the cache; --no-cache checks them again)"
    return line


class Writer:
    """One report format. `add` takes each result in order and returns text to emit now ("" for formats that
    need every result first); `finish` returns the rest. The report is everything returned, concatenated."""

    format: ClassVar[str] = ""
    filename: ClassVar[str] = ""

    def __init__(self, context: ReportContext, **options: Any) -> None:
        self.context = context
        self.results: list[Result] = []

    def add(self, result: Result) -> str:
        self.results.append(result)
        return ""

    def summary(self, seconds: float) -> dict[str, Any]:
        """Counts per status, the load errors, the results reused from the cache and the run's seconds."""
        counts = {s.value: 0 for s in Status}
        for r in self.results:
            counts[r.status.value] += 1
        return {"total": len(self.results), **counts, "load_errors": len(self.context.load_errors),
                "cached": sum(r.cached is not None for r in self.results), "seconds": round(seconds, 3)}

    def refutation(self, r: Result) -> list[str]:
        """The counterexample with every value and what each side evaluated to on replay, where the result has them."""
        lines = []
        if "counterexample" in r.evidence:
            lines.append(f"counterexample: {format_values(r.evidence['counterexample'])}")
        if r.evidence.get("replay", {}).get("sides"):
            lines.append(f"evaluated: {format_values(r.evidence['replay']['sides'])}")
        return lines

    def finish(self, seconds: float, interrupted: bool = False) -> str:
        raise NotImplementedError
