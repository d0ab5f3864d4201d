"""A fixture that does not compile."""


def initialize(context)
    pass
