"""sympy's LaTeX grammar restricted, for each text, to the rules that can take part in a parse of it.

sympy's parser is an Earley parser with a dynamic lexer over a grammar of some 300 rules (functions, matrices,
integrals, limits, bra-kets, ...). At every position it predicts every rule an expression may start with, whether
or not the text could ever match it, and that is where its time goes. A derivation of a text uses only terminals that
match somewhere in the text (the dynamic lexer matches a terminal's pattern at a position of the text, and no
terminal matches the empty string), so a rule naming a terminal whose pattern matches nowhere in the text takes
part in no derivation, and neither does a rule naming a nonterminal all of whose rules are so excluded. Parsing
with the remaining rules gives exactly the derivations, and so the parse trees and every ambiguity, that the whole
grammar gives. The restricted parsers are kept by the set of terminals found, so a course's sides share a few.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["Restricted"]

# restricted parsers kept at once (each is a few hundred rules' analysis; a course needs a few dozen)
_KEPT = 256


class Restricted:
    """Parses like `lark` (a Lark Earley parser with the dynamic lexer) with, for each text, only the rules that can
    take part in a parse of it."""

    def __init__(self, lark: Any):
        self.lark = lark
        conf = lark.lexer_conf
        ignored = set(lark.ignore_tokens)
        # every terminal that a rule names, compiled as the dynamic lexer compiles it (the ignored ones are matched
        # by the lexer between tokens whatever the rules are, and are never removed)
        self._patterns = {t.name: conf.re_module.compile(t.pattern.to_regexp(), conf.g_regex_flags)
                          for t in lark.terminals if t.name not in ignored}
        self._parsers: dict[frozenset, Any] = {}
        # how many restricted parsers were built, and how many texts were parsed by the whole grammar instead
        self.built = 0
        self.whole = 0

    def terminals(self, text: str) -> frozenset:
        """The names of the terminals whose pattern matches somewhere in `text`."""
        return frozenset(name for name, pattern in self._patterns.items() if pattern.search(text))

    def rules(self, present: frozenset) -> list:
        """The grammar's rules that can take part in a derivation using only the terminals `present`: those whose
        every symbol is a present terminal or a nonterminal that keeps a rule (the greatest such set)."""
        rules = [r for r in self.lark.rules if all(not s.is_term or s.name in present for s in r.expansion)]
        while True:
            origins = {r.origin for r in rules}
            kept = [r for r in rules if all(s.is_term or s in origins for s in r.expansion)]
            if len(kept) == len(rules):
                return kept
            rules = kept

    def parser(self, text: str) -> Any:
        """The parser restricted to `text`'s rules (built once for each set of terminals), or the whole grammar's
        when no rule for its start symbol remains (the text has no parse; the whole grammar says why)."""
        present = self.terminals(text)
        if present in self._parsers:
            return self._parsers[present]
        rules = self.rules(present)
        starts = set(self.lark.options.start)
        if not any(r.origin.name in starts for r in rules):
            restricted = None
        else:
            restricted = copy.copy(self.lark)
            restricted.rules = rules
            restricted.parser = restricted._build_parser()
            self.built += 1
        if len(self._parsers) >= _KEPT:
            self._parsers.pop(next(iter(self._parsers)))
        self._parsers[present] = restricted
        return restricted

    def parse(self, text: str) -> Any:
        """The parse forest of `text`, as the whole grammar gives it. A text the restricted grammar cannot parse is
        given to the whole grammar, whose error is the one raised (the same text is unparsable by both; the error
        says where the whole grammar stopped)."""
        restricted = self.parser(text)
        if restricted is not None:
            try:
                return restricted.parse(text)
            except Exception:  # noqa: BLE001, S110 - the whole grammar gives its own error below
                pass
        self.whole += 1
        return self.lark.parse(text)
