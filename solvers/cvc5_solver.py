"""cvc5 adapter: answer an SMT-LIB 2 query text as a second, independent solver (optional extra `crosscheck`)."""

from __future__ import annotations

__all__ = ["available", "check_text"]


def available() -> bool:
    try:
        import cvc5  # noqa: F401
    except ImportError:
        return False
    return True


def check_text(text: str, *, timeout_ms: int = 20_000) -> str:
    """Run every command of the query; return the last check-sat answer: "sat", "unsat" or "unknown"."""
    import cvc5

    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("tlimit-per", str(timeout_ms))
    symbols = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "query")
    answer = "unknown"
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        out = command.invoke(solver, symbols).strip()
        if out in ("sat", "unsat", "unknown"):
            answer = out
    return answer
