"""Course notation a scan must not decide wrongly, with each step's truth computed by hand: a true step is never
refuted, a slip never checked or proved, and what cannot be read one way only is skipped with its reason."""

import pytest

from conftest import scan_steps

PASS = ("proved", "checked")
FAIL = ("refuted", "needs review")


# The derivative of max, min, |x| or a function given in pieces does not exist at a kink: sympy's value there is a
# convention (Heaviside(0) = 1/2, sign(0) = 0, one piece's derivative), never evidence. Away from every kink the
# derivative is the smooth piece's, and is decided.
@pytest.mark.parametrize("definition, step, status", [
    (r"a(x) = |x|", "a'(0) = 0", ("skipped",)),
    (r"r(x) = \max(0, x)", r"r'(0) = \frac{1}{2}", ("skipped",)),
    (r"m(x) = \min(x, 1)", "m'(1) = 0", ("skipped",)),
    (r"f(x) = \begin{cases} x, & x > 0 \\ 0, & \text{otherwise} \end{cases}", "f'(0) = 0", ("skipped",)),
    (r"r(x) = \max(0, x)", "r'(x) = 1", ("skipped",)),
    (r"r(x) = \max(0, x)", "r'(1) = 1", PASS),
    (r"r(x) = \max(0, x)", "r'(-1) = 0", PASS),
    (r"r(x) = \max(0, x)", "r'(1) = 0", FAIL),
    (r"m(x) = \min(x, 1)", "m'(3) = 1", FAIL),
    (r"f(x) = \begin{cases} x, & x > 0 \\ 0, & \text{otherwise} \end{cases}", "f'(2) = 1", PASS),
])
def test_a_derivative_at_a_kink_is_not_decided(tmp_path, definition, step, status):
    _, steps = scan_steps(tmp_path, f"# Ex\n\nLet ${definition}$. Then ${step}$.\n", "--no-sympy-reader")
    assert steps[step]["status"] in status, steps[step]
