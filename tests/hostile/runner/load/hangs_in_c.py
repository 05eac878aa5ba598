"""Hostile pack module: never finishes importing, blocked in C code where no Python signal handler runs."""

import ctypes

ctypes.CDLL(None).sleep(3600)
