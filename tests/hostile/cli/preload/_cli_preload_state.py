"""State the preload pack's PRELOAD sets in the checker's process, before it forks the checks."""

STATE = {"warm": False}


def warm():
    STATE["warm"] = True
