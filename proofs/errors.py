"""One root error class; user mistakes also inherit the matching builtin."""

from __future__ import annotations

__all__ = ["ProofsError", "UsageError", "InvalidClaim", "PackError"]


class ProofsError(Exception):
    """Root of every error the checker raises on purpose."""


class UsageError(ProofsError, ValueError):
    """The command line is wrong; the message names the bad value and how to fix it."""


class InvalidClaim(ProofsError, TypeError):
    """A claim is malformed: a field is missing or of the wrong form."""


class PackError(ProofsError, ImportError):
    """A claim pack could not be loaded, or two claims share an id."""
