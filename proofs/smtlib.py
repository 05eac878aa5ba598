"""Standalone SMT-LIB files for the z3 queries of a claim, and the second-solver comparison."""

from __future__ import annotations

import re
from typing import Any, Sequence

from proofs.solvers.smt import SmtAnswer

__all__ = ["logic", "standalone", "cross_check"]


def logic(smt2: str) -> str:
    """The narrowest SMT-LIB logic we declare: quantifier-free real arithmetic when the query is that (cvc5 then
    uses its complete procedure for nonlinear reals), everything otherwise."""
    if re.search(r"\((forall|exists|to_real|to_int)\b", smt2) or re.search(r"\(\)\s+(Int|Bool)\)", smt2):
        return "ALL"
    if re.search(r"\(declare-fun \S+ \((?!\))", smt2):  # a function of arguments: uninterpreted functions too
        return "QF_UFNRA"
    return "QF_NRA"


def standalone(answer: SmtAnswer, claim_id: str, index: int, total: int) -> str:
    """One query as a file both the z3 and the cvc5 command-line tools accept unchanged."""
    body = "\n".join(line for line in answer.smt2.splitlines() if not line.startswith(";"))
    return (f"; claim: {claim_id}\n; query {index} of {total} made by its check\n"
            f"; expected: {answer.answer} (the answer z3 gave when the claim was checked)\n"
            f"(set-logic {logic(body)})\n{body}\n")


def cross_check(answers: Sequence[SmtAnswer], *, timeout_ms: int = 20_000) -> tuple[list[dict[str, Any]], str]:
    """Re-solve every query with cvc5. Returns one record per query and a problem ("" when all agree)."""
    from proofs.solvers.cvc5_solver import check_text

    records, problem = [], ""
    for n, answer in enumerate(answers, start=1):
        text = standalone(answer, "", n, len(answers))
        other = check_text(text, timeout_ms=timeout_ms // 2)
        if other == "unknown" and "(set-logic ALL)" not in text:  # a second configuration before giving up
            other = check_text(re.sub(r"\(set-logic \w+\)", "(set-logic ALL)", text), timeout_ms=timeout_ms // 2)
        records.append({"query": n, "z3": answer.answer, "cvc5": other})
        if not problem and answer.answer in ("sat", "unsat") and other != answer.answer:
            problem = (f"query {n}: z3 says {answer.answer}, cvc5 says {other}" if other != "unknown"
                       else f"query {n}: z3 says {answer.answer} but cvc5 gave no answer")
    return records, problem
