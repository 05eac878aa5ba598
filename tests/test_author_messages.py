"""What a claim author reads: messages and names that say what to do, and nothing printed twice or empty."""

import pytest

from proofs import IntRange, terms
from conftest import cli


@pytest.mark.parametrize("operation", [lambda n: n % 2, lambda n: n // 2, lambda n: 7 % n, lambda n: 7 // n,
                                       lambda n: divmod(n, 2)])
def test_remainders_on_quantified_variables_say_what_to_write_instead(operation):
    with pytest.raises(TypeError, match="quantify over the quotient instead"):
        operation(terms.var("n"))


@pytest.mark.parametrize("lower, upper, name", [(1, None, "{1, 2, …}"), (None, 0, "{…, -1, 0}"), (None, None, "ℤ"),
                                                (0, 3, "{0, …, 3}")])
def test_an_integer_range_without_a_bound_is_named_as_such(lower, upper, name):
    assert IntRange(lower, upper).name == name


def test_a_false_closed_statement_needs_no_counterexample_and_says_so(tmp_path):
    (tmp_path / "closed.py").write_text(
        "from proofs import forall\n\n"
        "@forall('t.ex1.a.closed', 'Two and two make five.', perturb={'four': {'k': 5}})\n"
        "def closed(k=4):\n    return k + 2 == 5\n\nCLAIMS = (closed,)\n", encoding="utf-8")
    done = cli("check", "t", "--claims", str(tmp_path), "--no-cache")
    assert done.returncode == 1
    assert "counterexample: none needed (the statement has no variables; its exact value is false)" in done.stdout
    assert "counterexample: \n" not in done.stdout


def test_show_prints_a_statement_claims_formal_statement_once():
    shown = cli("show", "ex1.b.conv_params").stdout
    formal = next(line for line in shown.splitlines() if line.startswith("formal: "))
    assert shown.count(formal.split("  (")[0][len("formal: "):]) == 1
    assert "material asserts: 3 * 3 + 1 = 10 · 3 * 10 = 30" in shown  # what it cites, not a copy of the formal statement
