"""Standalone SMT-LIB files for the z3 queries of a claim, and the second-solver comparison."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Mapping, Optional, Sequence

from proofs.solvers.smt import SmtAnswer

__all__ = ["logic", "real_constants", "standalone", "at_model", "cross_check"]


def logic(smt2: str) -> str:
    """The narrowest SMT-LIB logic we declare: quantifier-free real arithmetic when the query is that (cvc5 then
    uses its complete procedure for nonlinear reals), everything otherwise."""
    smt2 = real_constants(smt2)
    if re.search(r"\((forall|exists|to_real|to_int)\b", smt2) or re.search(r"\(\)\s+(Int|Bool)\)", smt2):
        return "ALL"
    if re.search(r"\(declare-fun \S+ \((?!\))", smt2):  # a function of arguments: uninterpreted functions too
        return "QF_UFNRA"
    return "QF_NRA"


def _integer_value(text: str) -> Optional[int]:
    """The value of a closed integer term made of numerals, +, - and * (None for anything else)."""
    tokens = re.findall(r"\(|\)|[^\s()]+", text)

    def read(k: int) -> tuple[Optional[int], int]:
        if tokens[k] != "(":
            return (int(tokens[k]), k + 1) if tokens[k].isdigit() else (None, k + 1)
        op, k = tokens[k + 1], k + 2
        values = []
        while k < len(tokens) and tokens[k] != ")":
            value, k = read(k)
            if value is None:
                return None, k
            values.append(value)
        if op == "+" and values:
            out = sum(values)
        elif op == "*" and values:
            out = 1
            for v in values:
                out *= v
        elif op == "-" and values:
            out = -values[0] if len(values) == 1 else values[0] - sum(values[1:])
        else:
            return None, k + 1
        return out, k + 1

    try:
        value, end = read(0)
    except (IndexError, ValueError):
        return None
    return value if end == len(tokens) else None


def real_constants(smt2: str) -> str:
    """The query with every (to_real <closed integer term>) written as the real numeral it denotes.

    z3 prints the integer numerals of a real query wrapped in to_real, which would make every such query one of
    mixed integer and real arithmetic: declared so, cvc5 leaves out its complete procedure for nonlinear reals and
    answers unknown where it could decide. The rewriting keeps the query's meaning exactly (only closed integer
    terms are replaced, by their value)."""
    out, k = [], 0
    while True:
        start = smt2.find("(to_real ", k)
        if start < 0:
            return "".join(out) + smt2[k:]
        depth, end = 0, start
        for end in range(start, len(smt2)):  # the parenthesis that closes this (to_real ...)
            depth += {"(": 1, ")": -1}.get(smt2[end], 0)
            if depth == 0:
                break
        inner = real_constants(smt2[start + len("(to_real "):end]).strip()
        value = _integer_value(inner)
        if value is None:
            out.append(smt2[k:start] + "(to_real " + inner + ")")
        else:
            out.append(smt2[k:start] + (f"{value}.0" if value >= 0 else f"(- {-value}.0)"))
        k = end + 1


def standalone(answer: SmtAnswer, claim_id: str, index: int, total: int) -> str:
    """One query as a file both the z3 and the cvc5 command-line tools accept unchanged."""
    body = real_constants("\n".join(line for line in answer.smt2.splitlines() if not line.startswith(";")))
    return (f"; claim: {claim_id}\n; query {index} of {total} made by its check\n"
            f"; expected: {answer.answer} (the answer z3 gave when the claim was checked)\n"
            f"(set-logic {logic(body)})\n{body}\n")


_SIMPLE_SYMBOL = re.compile(r"[A-Za-z~!@$%^&*_+=<>.?/-][0-9A-Za-z~!@$%^&*_+=<>.?/-]*")


def _numeral(value: Any) -> Optional[str]:
    """A bool, an integer or an exact rational as an SMT-LIB term (None for an algebraic number written as text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value >= 0 else f"(- {-value})"
    if isinstance(value, Fraction):
        body = f"(/ {abs(value.numerator)}.0 {value.denominator}.0)"
        return body if value >= 0 else f"(- {body})"
    return None


def at_model(smt2: str, model: Mapping[str, Any]) -> Optional[str]:
    """The query with every constant of the model pinned to its value (asserted just before check-sat); None where a
    value has no exact numeral (an irrational algebraic number) or the query has no check-sat."""
    pins = []
    for name, value in model.items():
        numeral = _numeral(value)
        if numeral is None:
            return None
        symbol = name if _SIMPLE_SYMBOL.fullmatch(name) else f"|{name}|"
        declared = re.search(rf"\(declare-fun {re.escape(symbol)} \(\) (Real|Int|Bool)\)", smt2)
        if declared is None:
            continue  # a constant the query does not use
        if declared.group(1) == "Real" and isinstance(value, int) and not isinstance(value, bool):
            numeral = f"{value}.0" if value >= 0 else f"(- {-value}.0)"
        pins.append(f"(assert (= {symbol} {numeral}))")
    where = smt2.rfind("(check-sat)")
    if where < 0:
        return None
    return smt2[:where] + "".join(p + "\n" for p in pins) + smt2[where:]


def cross_check(answers: Sequence[SmtAnswer], *, timeout_ms: int = 20_000) -> tuple[list[dict[str, Any]], str]:
    """Re-solve every query with cvc5. Returns one record per query and a problem ("" when all agree)."""
    from proofs.solvers.cvc5_solver import check_text

    records, problem = [], ""
    for n, answer in enumerate(answers, start=1):
        text = standalone(answer, "", n, len(answers))
        other = check_text(text, timeout_ms=timeout_ms // 2)
        if other == "unknown" and "(set-logic ALL)" not in text:  # a second configuration before giving up
            other = check_text(re.sub(r"\(set-logic \w+\)", "(set-logic ALL)", text), timeout_ms=timeout_ms // 2)
        record = {"query": n, "z3": answer.answer, "cvc5": other}
        if other == "unknown" and answer.answer == "sat" and answer.model:
            # a satisfiable query with quantifiers inside may be beyond cvc5 as it stands, yet within reach at one point:
            # cvc5 finding it satisfiable with every constant pinned to z3's value shows it satisfiable on its own
            pinned = at_model(text, answer.model)
            if pinned is not None and check_text(pinned, timeout_ms=timeout_ms // 2) == "sat":
                record.update(cvc5="sat", how="at z3's model")
        other = record["cvc5"]
        records.append(record)
        if not problem and answer.answer in ("sat", "unsat") and other != answer.answer:
            problem = (f"query {n}: z3 says {answer.answer}, cvc5 says {other}" if other != "unknown"
                       else f"query {n}: z3 says {answer.answer} but cvc5 gave no answer")
    return records, problem
