"""One Domain class (proofs/domains.py) for statements' variables and replays' witness fields (proofs.claims.witness):
both read z3's algebraic numbers the same way, and the old witness constructor still works, with a warning."""

import warnings
from fractions import Fraction

import pytest

from proofs import ForgedWitness
from proofs.claims import witness
from proofs.domains import OUTSIDE, Domain, IntRange, Real


def test_a_witness_field_s_domain_is_the_statement_domain_class():
    assert witness.Domain is Domain
    assert isinstance(witness.integer(0, 3), Domain) and witness.integer(0, 3).kind == "custom"
    assert witness.read({"n": "2"}, n=witness.integer(0, 3)) == {"n": 2}
    with pytest.raises(ForgedWitness, match="witness n = 7 is not an integer in 0..3"):
        witness.read({"n": 7}, n=witness.integer(0, 3))


def test_number_domains_read_witness_fields_and_lists_of_them():
    assert witness.read({"n": 3, "xs": ["1/2", 2]}, n=IntRange(0, 3), xs=witness.listof(Real, 2)) == \
        {"n": 3, "xs": [Fraction(1, 2), 2]}
    with pytest.raises(ForgedWitness):
        witness.read({"n": 4}, n=IntRange(0, 3))


def test_z3_s_algebraic_numbers_are_read_alike():
    root2 = "root-obj (+ (^ x 2) (- 2)) 2"
    assert float(Real.read(root2, "x")) == pytest.approx(2 ** 0.5)
    assert witness.read({"x": root2}, x=witness.real())["x"] == pytest.approx(2 ** 0.5)
    assert witness.read({"x": root2}, x=Real)["x"] ** 2 == 2
    with pytest.raises(ForgedWitness):
        witness.read({"x": root2}, x=witness.rational())  # irrational: not an exact rational


def test_the_old_constructor_keeps_working_with_a_deprecation_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = witness.Domain("a small number", lambda v: v if v in (1, 2) else OUTSIDE)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert old.kind == "custom" and witness.read({"k": 2}, k=old) == {"k": 2}
    with pytest.raises(ForgedWitness, match="witness k = 3 is not a small number"):
        witness.read({"k": 3}, k=old)
