"""Hostile pack module: prints while it is imported, then declares no claims."""

import os
import sys

print("{not json: import}")
os.write(1, b"fd 1 at import\n")
sys.stderr.write("stderr at import\n")

CLAIMS = ()
