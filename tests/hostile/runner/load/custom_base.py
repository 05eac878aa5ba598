"""Hostile pack module: raises a BaseException subclass of its own while it is imported."""


class Escape(BaseException):
    pass


raise Escape("out of here")
