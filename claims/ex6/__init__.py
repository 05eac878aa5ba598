"""Exercise 6 (multi-task learning): formal gradient structure and parameter counts, and seeded experiments."""

from proofs import collect
from proofs.claims.ex6 import experiments, formal

CLAIMS = (*collect(experiments), *collect(formal))
