"""Thin adapters over z3, sympy, exhaustive enumeration and sampling; they know nothing about claims."""
