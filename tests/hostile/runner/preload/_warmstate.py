"""Helper of the preload pack: state that only its PRELOAD step sets."""

READY = []


def warm():
    READY.append(True)
