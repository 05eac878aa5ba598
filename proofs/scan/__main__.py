"""`python -m proofs.scan ARGS` runs `proofs scan ARGS`."""

import sys

from proofs.scan.command import run

sys.exit(run(sys.argv[1:]))
