"""sympy's grammar restricted to the rules a side can use gives the whole grammar's parses: checked against the whole
grammar itself, on the material's sides, the test courses' sides and generated texts, valid or not."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs.scan import sympy_reader
from proofs.scan.grammar import Restricted

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed"


def _whole():
    return sympy_reader._parser().parser


def _trees(parse, text: str):
    """The sorted readings (as trees) a parse function gives, or the name of the error it raises."""
    from lark.visitors import CollapseAmbiguities

    try:
        forest = parse(text)
    except Exception as exc:  # noqa: BLE001 - the same failure is part of what must agree
        return type(exc).__name__
    count = sympy_reader._count_readings(forest)
    if count > sympy_reader.MAX_READINGS:
        return ("many", count)
    return sorted(str(t) for t in CollapseAmbiguities().transform(forest))


def _sides(directory: Path) -> list[str]:
    """The translated sides of every formula of the material under `directory` (what the second reader parses)."""
    from proofs import material
    from proofs.scan.chains import chains
    from proofs.scan.find import spans

    out = set()
    for name in material.discover(directory):
        for span in spans(material.read(directory, name)):
            for chain in chains(span.body):
                for side in chain.sides:
                    try:
                        text = sympy_reader.translate(side.text).text
                    except sympy_reader.Unread:
                        continue
                    if text and len(text) <= 120:
                        out.add(text)
    return sorted(out)


@pytest.fixture(scope="module")
def restricted():
    return Restricted(_whole())


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["scan_material", "seed"])
def test_the_restricted_grammar_parses_the_material_as_the_whole_grammar(folder, restricted):
    directory = SEED if folder == "seed" else ROOT / "tests" / "scan_material"
    if not directory.is_dir():
        pytest.skip(f"{directory} is not here")
    sides = _sides(directory)
    assert len(sides) > 20
    # a sample of the sides, spread over the alphabet (the whole grammar takes a tenth of a second a side)
    sample = sides[:: max(1, len(sides) // 60)]
    differ = [s for s in sample if _trees(restricted.parse, s) != _trees(_whole().parse, s)]
    assert differ == []
    assert restricted.built >= 2  # the sides do not all share one set of terminals


_FRAGMENTS = [
    "x", "y", "n", "d", "e", "ab", "2", "10", "3.5", "+", "-", "*", "/", "=", "^", "_", "{", "}", "(", ")", "[", "]",
    "|", "!", "'", ",", " ", r"\frac", r"\cdot", r"\times", r"\sqrt", r"\log", r"\ln", r"\exp", r"\sin", r"\cos",
    r"\tanh", r"\sum", r"\prod", r"\int", r"\lim", r"\to", r"\infty", r"\alpha", r"\theta", r"\max", r"\min",
    r"\binom", r"\left", r"\right", r"\langle", r"\rangle", r"\mathrm{d}", r"\begin{pmatrix}", r"\end{pmatrix}",
    "&", r"\\", r"\det", r"\overline", r"\lfloor", r"\rfloor", "x_i", "x_{12}", r"\alpha_1", "<", r"\leq",
]


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=9))
def test_the_restricted_grammar_parses_any_text_as_the_whole_grammar(fragments):
    """Texts made of the grammar's own pieces, most of them no formula at all: the same parses, or the same error."""
    text = "".join(fragments)
    restricted = Restricted(_whole())
    assert _trees(restricted.parse, text) == _trees(_whole().parse, text)


@pytest.mark.parametrize("text", [r"\frac{d}{dx} x^{3}", r"\sum_{i=1}^{n} i", r"\sin x + \cos y", "ab"])
def test_a_restriction_that_drops_a_terminal_the_text_has_is_seen(text, monkeypatch):
    """The comparison above can fail: restricted without one of the terminals the text has, the grammar loses a
    parse (every terminal found is tried; at least one must matter)."""
    honest = Restricted(_whole())
    present = honest.terminals(text)
    whole = _trees(_whole().parse, text)
    assert _trees(honest.parse, text) == whole
    changed = []
    for dropped in sorted(present):
        broken = Restricted(_whole())
        monkeypatch.setattr(broken, "terminals", lambda t, d=dropped: present - {d})
        parser = broken.parser(text)
        trees = "no parser" if parser is None else _trees(parser.parse, text)
        changed.append(trees != whole)
    assert any(changed)


def test_the_restricted_grammar_keeps_few_rules_for_a_plain_side(restricted):
    text = r"(x + 3)^2"
    assert len(restricted.rules(restricted.terminals(text))) < len(_whole().rules) // 2
    assert restricted.parser(text) is restricted.parser(r"(y + 5)^2")  # the same terminals: one parser


def test_a_text_without_a_parse_gets_the_whole_grammars_error(restricted):
    for text in ["+", "x +", r"\frac{", "@"]:
        assert _trees(restricted.parse, text) == _trees(_whole().parse, text)
        assert isinstance(_trees(restricted.parse, text), str)
