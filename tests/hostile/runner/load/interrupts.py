"""Hostile pack module: raises KeyboardInterrupt while it is imported."""

raise KeyboardInterrupt
