"""Hostile pack module: raises GeneratorExit while it is imported."""

raise GeneratorExit("closing")
