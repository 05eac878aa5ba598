"""A pack whose claim's stated value is read, when the module is imported, from a data file outside the pack."""

import os
from pathlib import Path

from proofs import Real, forall

MIDDLE = int((Path(os.environ["IMPORTER_DATA"]) / "middle.txt").read_text())


@forall("importer.ex1.a.square", "(x + 3)^2 = x^2 + 6x + 9.", perturb={"five": {"middle": 5}})
def square(x: Real, middle=MIDDLE):
    return (x + 3) ** 2 == x * x + middle * x + 9


CLAIMS = (square,)
