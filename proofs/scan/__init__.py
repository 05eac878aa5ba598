"""`proofs scan`: every equation of the material found, split into steps, read, and proved, checked or refuted."""

from proofs.scan.command import configure, main, run

__all__ = ["configure", "main", "run"]
