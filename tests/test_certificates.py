"""Certificates that no witness exists: a forged shape is rejected at once, and the re-derivation a replay makes is
decided once per statement and stated values, never reused for another."""

from collections import OrderedDict
from fractions import Fraction

import pytest

from proofs import ForgedWitness, certificates, decision, everyfunction
from proofs.domains import IntRange, Real
from proofs.model import Replay
from proofs.statement import exists
from proofs.terms import diff
from proofs.uninterpreted import Function


@exists("t.ex1.a.small", "Some n in 0..9 has n^2 = square.", perturb={"fifty": {"square": 50}})
def small(n: IntRange(0, 9), square=49):
    return n * n == square


@exists("t.ex1.b.smaller", "Some n in 0..6 has n^2 = square.")
def smaller(n: IntRange(0, 6), square=49):
    return n * n == square


@exists("t.ex1.c.root", "x^2 = c has a real solution.", perturb={"minus": {"c": -2}})
def root(x: Real, c=2):
    return x * x == c


phi, G = Function("φ"), Function("G")


@exists("t.ex1.d.moves", "some function and point give a nonzero derivative", perturb={"still": {"k": 0}})
def moves(x: Real, y: Real, k=1):
    return diff(G(phi(k * x) * y), x) != 0


CLAIMS = (small, smaller, root, moves)
CERTIFICATE = {"certificate": "no point of the domains satisfies it"}


@pytest.fixture(autouse=True)
def fresh_memo(monkeypatch):
    monkeypatch.setattr(certificates, "_DECIDED", OrderedDict())


def _counted(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)
    monkeypatch.setattr(module, name, counting)
    return calls


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
@pytest.mark.parametrize("value", [2, 0, None, True, [], {}, [[1]], "", "  ", Fraction(1, 7)])
def test_a_certificate_that_is_not_a_text_is_forged_before_anything_is_decided(monkeypatch, claim, value):
    derived = _counted(monkeypatch, certificates, "rederived")
    with pytest.raises(ForgedWitness):
        claim.replay({"certificate": value}, **claim.params)
    assert derived == []


def test_a_certificate_is_decided_again_once_per_statement_and_stated_values(monkeypatch):
    queries = _counted(monkeypatch, decision, "_z3_query")
    minus = {**root.params, "c": -2}
    assert [root.replay(CERTIFICATE, **minus).holds for _ in range(3)] == [False] * 3
    assert len(queries) == 1
    assert root.replay(CERTIFICATE, **{**root.params, "c": -3}).holds is False  # another stated value: decided again
    assert root.replay(CERTIFICATE, **root.params).holds is True  # where a root exists the certificate is refused
    assert root.replay({"certificate": "anything else"}, **root.params).holds is True
    assert len(queries) == 3


def test_the_decision_kept_for_one_statement_never_serves_another():
    # the same relation, other stated values or another domain: the certificate is true for one, false for the other
    assert small.replay(CERTIFICATE, **{**small.params, "square": 50}).holds is False
    assert small.replay(CERTIFICATE, **small.params).holds is True
    assert smaller.replay(CERTIFICATE, **smaller.params).holds is False
    assert small.replay(CERTIFICATE, **small.params).holds is True
    assert small.replay(CERTIFICATE, **{**small.params, "square": Fraction(49)}).holds is True
    assert small.replay(CERTIFICATE, **{**small.params, "square": Fraction(97, 2)}).holds is False


def test_a_certificate_over_every_function_is_decided_once_and_refused_where_a_function_satisfies_it(monkeypatch):
    proved = _counted(monkeypatch, everyfunction, "_identity")
    still = {**moves.params, "k": 0}
    assert [moves.replay(CERTIFICATE, **still).holds for _ in range(3)] == [False] * 3
    assert len(proved) == 1
    # where explicit functions satisfy the statement, their exact evaluation refuses the certificate: no proof tried
    refused = moves.replay({"certificate": "forged"}, **moves.params)
    assert refused.holds is True and "satisfied by explicit functions" in refused.sides
    assert len(proved) == 1


def test_the_sides_of_a_kept_decision_are_a_copy():
    first = small.replay(CERTIFICATE, **small.params)
    first.sides.clear()
    assert small.replay(CERTIFICATE, **small.params).sides != {}


def test_a_derivation_that_raises_is_not_kept():
    def fails():
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        certificates.rederived("test", ("same",), fails)
    assert certificates.rederived("test", ("same",), lambda: Replay(False, {"decided": True})).holds is False


def test_structures_are_equal_exactly_when_types_and_contents_are():
    s = certificates._structure
    assert s(small.replay) == s(small.replay) and s(small.replay) != s(root.replay)  # compared by identity
    assert s((1, Fraction(1, 2), "a")) == s((1, Fraction(1, 2), "a"))
    for a, b in [(1, True), (1, 1.0), (Fraction(1, 2), "1/2"), ((1, 2), [1, 2]), ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
                 (IntRange(0, 9), IntRange(0, 6)), (None, 0)]:
        assert s(a) != s(b), (a, b)
