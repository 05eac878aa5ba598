"""Hostile pack module: kills its own process while it is imported."""

import os
import signal

os.kill(os.getpid(), signal.SIGKILL)
