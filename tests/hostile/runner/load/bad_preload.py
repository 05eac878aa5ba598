"""Hostile pack module: a PRELOAD that is not a tuple of module names."""

PRELOAD = "z3:main_ctx; rm -rf /"
CLAIMS = ()
