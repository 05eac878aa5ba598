"""Names the prose says are not real numbers (matrices, vectors, complex numbers, permutations, ...) are never read as
real scalars by the scan, and \\sigma is the logistic function only where its section does not say it is another."""

import math
import re

import pytest

from proofs.scan import kinds
from proofs.scan.kinds import declared, sigma_declared_otherwise
from conftest import scan_steps


def _scan(tmp_path, text):
    return scan_steps(tmp_path, text, "--no-sympy-reader")


# Each holds for real numbers and fails for what the prose says the names are.
@pytest.mark.parametrize("text, step", [
    ("Let $a$ and $b$ be $2 \\times 2$ matrices. Then $(a+b)^2 = a^2 + 2ab + b^2$.\n", "(a+b)^2 = a^2 + 2ab + b^2"),
    ("Let $a$ and $b$ be square matrices. Then $(ab)^2 = a^2 b^2$.\n", "(ab)^2 = a^2 b^2"),
    ("Suppose $u$ and $v$ are matrices. $$(u + v)^2 = u^2 + 2uv + v^2$$\n", "(u + v)^2 = u^2 + 2uv + v^2"),
    ("Let $a, b \\in \\mathbb{R}^{2 \\times 2}$. Then $ab = ba$.\n", "ab = ba"),
    ("where $a$ is an $n \\times n$ matrix and $b$ another, $ab = ba$.\n", "ab = ba"),
    ("Let $\\mathbf{x}$ and $\\mathbf{y}$ be vectors. Then $xy = yx$.\n", "xy = yx"),
    ("Let $x$ and $y$ be vectors. Then $(x+y)^2 = x^2 + 2xy + y^2$.\n", "(x+y)^2 = x^2 + 2xy + y^2"),
    ("Let $z$ be a complex number. Then $|z|^2 = z^2$.\n", "|z|^2 = z^2"),
    ("For complex $z$, $|z|^2 = z^2$.\n", "|z|^2 = z^2"),
    ("Let $z \\in \\mathbb{C}$. Then $\\sqrt{z^2} = |z|$.\n", "\\sqrt{z^2} = |z|"),
    ("Let $p$ and $q$ be permutations. Then $pq = qp$.\n", "pq = qp"),
    ("Let $p, q \\in \\mathbb{H}$ be quaternions. Then $pq = qp$.\n", "pq = qp"),
])
def test_a_step_about_names_its_prose_says_are_not_real_numbers_is_never_passed(tmp_path, text, step):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] not in ("proved", "checked"), steps[step]
    assert steps[step]["status"] != "refuted", steps[step]  # true for real numbers: no counterexample among them


@pytest.mark.parametrize("text, step", [
    ("Let $a$ and $b$ be real numbers. Then $(a+b)^2 = a^2 + 2ab + b^2$.\n", "(a+b)^2 = a^2 + 2ab + b^2"),
    ("Let $z \\in \\mathbb{R}$. Then $|z|^2 = z^2$.\n", "|z|^2 = z^2"),
    ("The weight $w$ is an entry of the matrix. Then $w(1 + w) = w + w^2$.\n", "w(1 + w) = w + w^2"),
    # declared in one section, a real number in the next
    ("## Part 1\n\nLet $a$ and $b$ be matrices.\n\n## Part 2\n\nFor real $a$ and $b$, $(a+b)^2 = a^2 + 2ab + b^2$.\n",
     "(a+b)^2 = a^2 + 2ab + b^2"),
])
def test_real_names_and_the_entries_of_a_vector_are_still_read(tmp_path, text, step):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == "proved", steps[step]


def test_a_slip_about_real_names_next_to_a_declaration_is_still_refuted_and_replays(tmp_path):
    text = "## Part 1\n\nLet $a$ and $b$ be matrices.\n\n## Part 2\n\nFor real $a$, $b$: $(a+b)^2 = a^2 + ab + b^2$.\n"
    code, steps = _scan(tmp_path, text)
    step = steps["(a+b)^2 = a^2 + ab + b^2"]
    assert step["status"] == "refuted" and code == 1
    from fractions import Fraction

    a, b = (Fraction(step["counterexample"]["values"][n]) for n in ("a", "b"))
    assert (a + b) ** 2 != a ** 2 + a * b + b ** 2


@pytest.mark.parametrize("prose, names", [
    ("Let $a$ and $b$ be $2 \\times 2$ matrices.", {"a", "b"}),
    ("Let $\\mathbf{x}$, $\\mathbf{y}$ be vectors.", {"x", "y"}),
    ("for complex numbers $z$ and $w$", {"z", "w"}),
    ("Let $x \\in \\mathbb{R}$ and $y \\in \\mathbb{R}^n$.", {"y"}),
    ("$w$ is a weight of the matrix, $x$ is a real number", set()),
    ("Let $w_1 \\in \\mathbb{R}^{m \\times n}$.", {"w[1]"}),
])
def test_declarations_name_the_letters_they_are_about(prose, names):
    assert {str(k) for k in declared(prose)} == names


def test_the_entries_of_a_vector_are_numbers():
    from proofs.scan.kinds import nonreal_in
    from proofs.scan.parse import parse

    names = declared("Let $x$ be a vector.")
    assert nonreal_in([parse("(x_1 + x_2)^2 + x_i")], names) is None
    assert nonreal_in([parse("x_1 + x")], names) == ("x", "vector")


@pytest.mark.parametrize("prose, otherwise", [
    ("Let $\\sigma$ be an arbitrary activation function.", True),
    ("Here $\\sigma$ denotes the ReLU, unlike the sigmoid.", True),
    ("where $\\sigma(\\cdot)$ is any differentiable function", True),
    ("where $\\sigma$ is the sigmoid function", False),
    ("where $\\sigma$ is the logistic function $\\frac{1}{1+e^{-z}}$", False),
    ("The sigmoid $\\sigma$ squashes its input.", False),
])
def test_what_the_prose_says_sigma_is(prose, otherwise):
    assert sigma_declared_otherwise(prose) is otherwise


@pytest.mark.parametrize("text, step", [
    ("## Part 1\n\nThe sigmoid is common.\n\n## Part 2\n\nLet $\\sigma$ be an arbitrary activation function. "
     "Then $\\sigma(0) = \\frac{1}{2}$.\n", "\\sigma(0) = \\frac{1}{2}"),
    ("The sigmoid is common. Let $\\sigma$ be any function. Then $\\sigma(z) + \\sigma(-z) = 1$.\n",
     "\\sigma(z) + \\sigma(-z) = 1"),
    ("We compare it with the sigmoid. Here $\\sigma$ denotes the ReLU. $$\\sigma(-1) = 0$$\n", "\\sigma(-1) = 0"),
    ("Here $\\sigma$ denotes the ReLU, unlike the sigmoid. $$\\sigma(1) = \\frac{e}{1+e}$$\n", "\\sigma(1) = \\frac{e}{1+e}"),
])
def test_sigma_said_to_be_another_function_is_not_the_logistic(tmp_path, text, step):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == "skipped", steps[step]


def test_sigma_said_to_be_the_sigmoid_is_read_and_a_slip_refuted(tmp_path):
    text = ("## Part 1\n\nLet $\\sigma$ be an arbitrary function.\n\n## Part 2\n\nHere $\\sigma$ is the sigmoid. "
            "$$\\sigma(0) = \\frac{1}{2}$$\n\nAnd $$\\sigma(1) = \\frac{1}{1+e}$$\n")
    _, steps = _scan(tmp_path, text)
    assert steps["\\sigma(0) = \\frac{1}{2}"]["status"] == "proved"
    slip = steps["\\sigma(1) = \\frac{1}{1+e}"]
    assert slip["status"] == "refuted"
    assert not math.isclose(1 / (1 + math.exp(-1)), 1 / (1 + math.e))


def test_a_name_times_an_entry_keeps_the_name_a_fact_made_opaque(tmp_path):
    # s^2 = 4 is read as a definition the scan does not substitute; a step using s next to an entry (w_2) uses s too
    from proofs.scan.definitions import names_in
    from proofs.scan.parse import parse

    assert names_in(parse("s^4 w_2")) == {"s", "w"}
    _, steps = _scan(tmp_path, "Where $s^2 = 4$, we get $s^4 w_2 = 16w_2$.\n")
    assert steps["s^4 w_2 = 16w_2"]["status"] not in ("refuted", "needs review"), steps["s^4 w_2 = 16w_2"]


@pytest.mark.parametrize("prose, base", [
    ("All logarithms are base 2.", "2"),
    ("In this course, $\\log$ denotes the base-10 logarithm.", "10"),
    ("We use base-2 logarithms.", "2"),
    ("We write $\\log$ for $\\log_2$.", "2"),
    ("Entropy is measured in bits.", "2"),
    ("Here $\\log$ is the natural logarithm.", "e"),
    ("Nothing about it: $\\log x$.", None),
    ("Some logs are base 2, others base 10.", "several"),
])
def test_the_base_the_prose_gives_log(prose, base):
    from proofs.scan.kinds import log_base

    assert log_base(prose) == base


@pytest.mark.parametrize("text, step, status", [
    # true in the declared base (false for the natural log): never refuted
    ("We use base-2 logarithms throughout. $\\log 8 = 3$.\n", "\\log 8 = 3", "proved"),
    ("All logs are base 10. $$\\log 100 = 2$$\n", "\\log 100 = 2", "proved"),
    ("Entropy is measured in bits. $$-\\frac{1}{2}\\log\\frac{1}{2} - \\frac{1}{2}\\log\\frac{1}{2} = 1$$\n",
     "-\\frac{1}{2}\\log\\frac{1}{2} - \\frac{1}{2}\\log\\frac{1}{2} = 1", "proved"),
    # true for the natural log, false in the declared base: never passed
    ("All logarithms are base 2. $$\\frac{d}{dx} \\log x = \\frac{1}{x}$$\n", "\\frac{d}{dx} \\log x = \\frac{1}{x}", "refuted"),
    ("All logarithms are base 2. $$\\log e = 1$$\n", "\\log e = 1", "refuted"),
    ("In this course, $\\log$ denotes the base-10 logarithm. $$\\frac{d}{dx} \\log(x) = \\frac{1}{x}$$\n",
     "\\frac{d}{dx} \\log(x) = \\frac{1}{x}", "refuted"),
    # \ln stays natural; a base given in the text before any heading holds in every section
    ("All logarithms are base 2.\n\n## Part 1\n\n$$\\ln(e^2) = 2$$ and $$\\log 4 = 2$$\n", "\\ln(e^2) = 2", "proved"),
    ("All logarithms are base 2.\n\n## Part 1\n\n$$\\ln(e^2) = 2$$ and $$\\log 4 = 2$$\n", "\\log 4 = 2", "proved"),
    # the natural log declared: a step false for it is refuted, not rescued by base 2
    ("Here $\\log$ is the natural logarithm. $$\\log 8 = 3$$\n", "\\log 8 = 3", "refuted"),
    # several bases: not read
    ("Some logs are base 2, others base 10. $$\\log 8 = 3$$\n", "\\log 8 = 3", "skipped"),
])
def test_a_log_without_a_base_is_read_in_the_base_its_prose_declares(tmp_path, text, step, status):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == status, steps[step]


def test_a_refutation_in_the_declared_base_replays_in_that_base(tmp_path):
    _, steps = _scan(tmp_path, "All logarithms are base 2. $$\\frac{d}{dx} \\log x = \\frac{1}{x}$$\n")
    cx = steps["\\frac{d}{dx} \\log x = \\frac{1}{x}"]["counterexample"]
    from fractions import Fraction

    x = float(Fraction(cx["values"]["x"]))
    assert math.isclose(float(cx["left"].lstrip("≈ ")), 1 / (x * math.log(2)), rel_tol=1e-12)
    assert not math.isclose(1 / (x * math.log(2)), 1 / x)


@pytest.mark.parametrize("prose, names", [
    ("Let $\\pi$ be a probability with", {"pi"}),
    ("Let $e$ denote the error of the fit.", {"e"}),
    ("the error $e$ of the fit", {"e"}),
    ("where $e$ is Euler's constant", set()),
    ("$\\pi$ is the ratio of a circle's circumference to its diameter", set()),
    ("we have $e$ and $\\pi$ here", set()),
])
def test_pi_and_e_the_prose_introduces_as_names(prose, names):
    from proofs.scan.kinds import constants_named

    assert constants_named(prose) == names


@pytest.mark.parametrize("text, step, status", [
    ("Let $e$ denote the error of the fit. $$e^2 \\ge 2e - 1$$\n", "e^2 \\ge 2e - 1", "checked"),
    ("Let $e$ denote the error of the fit. $$e^2 \\ge 2e$$\n", "e^2 \\ge 2e", "refuted"),
    ("Let $\\pi$ be the mixing weight. $$\\pi(1 - \\pi) = \\pi - \\pi^2$$\n", "\\pi(1 - \\pi) = \\pi - \\pi^2", "proved"),
    # elsewhere the constants keep their values
    ("We have $$e^2 \\ge 2e$$\n", "e^2 \\ge 2e", "proved"),
])
def test_pi_and_e_introduced_as_names_are_variables(tmp_path, text, step, status):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == status, steps[step]
    if status == "refuted":
        from fractions import Fraction

        e = Fraction(steps[step]["counterexample"]["values"]["e"])
        assert not e ** 2 >= 2 * e


@pytest.mark.parametrize("text, step", [
    ("(a) Let $f(x) = x^2$. Then $f(3) = 9$.\n\n(b) Now let $f$ be the ReLU. $f(-3) = 0$.\n", "f(-3) = 0"),
    # read with the old formula it would be proved
    ("(a) Let $s = a + b$. Then $s^2 = a^2 + 2ab + b^2$.\n\n(b) Now $s$ is the step size. Then $s - b = a$.\n", "s - b = a"),
    ("Let $g(z) = 2z$. Later $g$ now denotes the loss, and $g(1) = 1$.\n", "g(1) = 1"),
])
def test_a_name_introduced_again_in_words_loses_its_formula(tmp_path, text, step):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == "skipped", steps[step]


@pytest.mark.parametrize("text, step, status", [
    ("(a) Let $f(x) = x^2$. Then $f(3) = 9$.\n\n(b) Let $f$ be as above. $f(-3) = 9$.\n", "f(-3) = 9", "proved"),
    ("(a) Let $f(x) = x^2$. Then $f(3) = 9$.\n\n(b) Let $f$ be as above. $f(-3) = 0$.\n", "f(-3) = 0", "refuted"),
    ("Let $f(x) = x^2$. Then $f$ is convex and $f(2) = 4$.\n", "f(2) = 4", "proved"),
])
def test_a_name_recalled_or_described_keeps_its_formula(tmp_path, text, step, status):
    _, steps = _scan(tmp_path, text)
    assert steps[step]["status"] == status, steps[step]


def test_a_matrix_declared_at_the_end_of_a_section_is_not_one_in_the_next(tmp_path):
    text = ("## Part 1\n\nFor matrices $p$ and $q$, $p q = q p$.\n\n## Part 2\n\n"
            "For real $p$ and $q$, $\\left(p + q\\right)^2 = p^2 + 2p q + q^2$ and $(p + q)^2 = p^2 + p q + q^2$.\n")
    _, steps = _scan(tmp_path, text)
    assert steps["p q = q p"]["status"] == "refuted"  # as matrices, in their section
    assert steps["\\left(p + q\\right)^2 = p^2 + 2p q + q^2"]["status"] == "proved"
    slip = steps["(p + q)^2 = p^2 + p q + q^2"]
    assert slip["status"] == "refuted"
    from fractions import Fraction

    p, q = (Fraction(slip["counterexample"]["values"][n]) for n in ("p", "q"))
    assert (p + q) ** 2 != p ** 2 + p * q + q ** 2


def test_a_name_called_a_function_is_still_read_as_its_value():
    # "the loss function $L$": course material names a value so; only what cannot be a real number is declared
    assert declared("Let the loss function $L$ be the squared error, and $f$ a function.") == {}


class _Scanned:
    """A compiled pattern that counts the calls made with it and the characters of text they are given."""

    def __init__(self, pattern) -> None:
        self.pattern, self.calls, self.chars = pattern, 0, 0

    def _count(self, text: str) -> None:
        self.calls += 1
        self.chars += len(text)

    def finditer(self, text, *args):
        self._count(text)
        return self.pattern.finditer(text, *args)

    def findall(self, text, *args):
        self._count(text)
        return self.pattern.findall(text, *args)

    def search(self, text, *args):
        self._count(text)
        return self.pattern.search(text, *args)

    def match(self, text, *args):
        self._count(text)
        return self.pattern.match(text, *args)

    def sub(self, repl, text, *args):
        self._count(text)
        return self.pattern.sub(repl, text, *args)


# The patterns by which the prose of a section (kinds.declared, kinds.domains, ...) or of a sentence
# (kinds.introduced_again, kinds.standing) is read.
_READERS = ["_AFTER", "_BEFORE", "_SPACE", "_SIGMA", "_BASE_AFTER", "_BASE_BEFORE", "_BASE_FOR", "_NATURAL", "_BITS",
            "_CONSTANT_NAMED", "_AGAIN", "_STANDING", "_PROBABILITY", "_INTERVAL", "_COUNT", "_BETWEEN"]


def _prose_read(tmp_path, monkeypatch, formulas: int) -> tuple[int, dict]:
    """The length of a one-sentence section of `formulas` steps and a list of as many declared names, and how many
    characters of text each of the prose's readers was given while it was scanned."""
    from proofs.scan import kinds

    counted = {name: _Scanned(getattr(kinds, name)) for name in _READERS}
    for name, proxy in counted.items():
        monkeypatch.setattr(kinds, name, proxy)
    text = ("Let " + ", ".join(f"$v_{{{k}}}$" for k in range(formulas)) + " be vectors. Assume $x > 0$. We have "
            + " and ".join(f"$x + {k} = {k} + x$" for k in range(formulas)) + ".\n")
    _, steps = scan_steps(tmp_path, text, "--no-sympy-reader", "--no-cache")
    assert sum(s["status"] == "proved" for s in steps.values()) == formulas, steps
    return len(text), {name: (p.calls, p.chars) for name, p in counted.items()}


def _linear(length: int, read: dict) -> None:
    """Each reader is given the text a bounded number of times (once a section, once a sentence, or a window of its
    own length per condition), not once per formula: a per-formula reading is quadratic in the sentence."""
    for name, (calls, chars) in read.items():
        assert chars <= 3 * length, (name, calls, chars, length)


def test_the_prose_of_a_long_sentence_of_formulas_is_read_a_bounded_number_of_times(tmp_path, monkeypatch):
    length, read = _prose_read(tmp_path, monkeypatch, 40)
    _linear(length, read)
    # once for the one section; once for each of its three sentences
    assert read["_AFTER"][0] == 1 and read["_AGAIN"][0] == 3, read


def test_the_guard_sees_a_reader_called_once_per_formula(tmp_path, monkeypatch):
    # a quadratic reintroduced: the section's declarations read again for each formula of it
    import re

    from proofs.scan import kinds

    once = kinds.declared

    def per_formula(prose):
        for _ in re.finditer(r"\$[^$]*\$", prose):
            out = once(prose)
        return out

    monkeypatch.setattr(kinds, "declared", per_formula)
    length, read = _prose_read(tmp_path, monkeypatch, 40)
    with pytest.raises(AssertionError):
        _linear(length, read)


# -- the kinds of whole number the scan does not read: one list for the scalar and the matrix reading


@pytest.mark.parametrize("words", ["Here $n$ is odd, so ", "Let $n$ be odd. Then ", "For odd $n$, ",
                                   "Here $n$ is a perfect square, so ", "Let $n$ be a square number. Then "])
def test_a_kind_of_whole_number_beside_a_name_is_a_condition_the_scalar_reading_does_not_read(words):
    # "$n$ is odd" and "a square number" were the matrix reading's words only: a step true for such n was refuted
    from proofs.material import parse as read_text
    from proofs.scan.steps import scan_document

    text = "(-1)^n n = -n" if "odd" in words else "\\sqrt{n^2} = n"
    [step] = [s for s in scan_document(read_text("k.md", f"{words}${text}$.\n", "markdown"), second_reader=False)
              if s.text == text]
    assert step.status == "needs review", step.reason


def test_the_kinds_of_whole_number_are_one_list_both_readings_read():
    from proofs.scan import matrix_steps, steps
    from proofs.scan.vocabulary import INTEGER_KINDS, KIND_OF_LETTER

    assert matrix_steps._KIND_OF_SIZE is KIND_OF_LETTER
    for kind in ("odd", "even", "prime", "power of", "multiple of", "divisible by", "perfect square", "square number"):
        assert any(re.fullmatch(k, kind) for k in INTEGER_KINDS), kind
        m = KIND_OF_LETTER.search(f"Let $n$ be a {kind} 4.")
        assert m is not None and m.group("letter") == "n", kind
        assert kinds.domains(f"Let $n$ be a {kind} 4.")[1], kind
        if kind not in ("odd", "even"):  # _DISCRETE reads these in a sentence
            assert steps._ARITHMETIC.search(f"Take $n$ is a {kind} 4."), kind
    assert KIND_OF_LETTER.search("for even $d$").group("described") == "d"
    assert not steps._ARITHMETIC.search("Raise $x$ to the power of $2$.")


def test_the_matrix_reading_reads_a_size_of_a_kind_from_the_shared_list(tmp_path):
    from proofs.material import parse as read_text
    from proofs.scan.steps import scan_document

    step = "\\|\\mathbf{1}_n \\mathbf{1}_n^T x\\|^2 \\le 3 (\\mathbf{1}_n^T x)^2"
    for words in ("where $n$ is odd", "where $n$ is a perfect square", "where $n$ is divisible by 3"):
        text = f"Let $x \\in \\mathbb{{R}}^n$ {words}.\n\n$${step}$$\n"
        [found] = [s for s in scan_document(read_text("m.md", text, "markdown"), second_reader=False) if s.text == step]
        assert found.status == "needs review", (words, found.reason)


# An assumption in a sentence after another one (or after "and" in its sentence) holds for the steps after it: the
# true step is not refuted at a point breaking it, and a false one is refuted at a point honouring it.
@pytest.mark.parametrize("opening, condition, holds, fails", [
    ("Let $y$ be real. Suppose", "x \\ge 3", "x^2 \\ge 3x", "x^2 \\ge 4x"),
    ("Let $x$ be a real number. Assume", "x \\ge 3", "x^2 \\ge 3x", "x^2 \\ge 4x"),
    ("Let $x$ be real and suppose", "x \\le 0", "x^2 \\ge 3x", "x^2 \\ge -3x"),
    ("Let $n$ be an integer. Suppose", "n \\ge 3", "n^2 \\ge 3n", "n^2 \\ge 4n"),
])
def test_an_assumption_after_another_sentence_holds_for_the_steps_after_it(tmp_path, opening, condition, holds, fails):
    for step, statuses in ((holds, ("checked", "proved")), (fails, ("refuted",))):
        _, steps = _scan(tmp_path, f"# A\n\n{opening} ${condition}$. Then ${step}$.\n")
        assert steps[step]["status"] in statuses, (step, steps[step]["status"], steps[step]["reason"])
        if steps[step]["status"] == "refuted":  # the counterexample honours the assumption (own arithmetic)
            from fractions import Fraction
            point = {k: Fraction(str(v)) for k, v in steps[step]["counterexample"]["values"].items()}
            letter, bound = condition.split(" \\")[0], Fraction(condition.split()[-1])
            assert (point[letter] >= bound) if "\\ge" in condition else (point[letter] <= bound), point
