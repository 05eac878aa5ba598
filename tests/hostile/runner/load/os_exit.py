"""Hostile pack module: ends its process at once (no cleanup) while it is imported."""

import os

os._exit(0)
