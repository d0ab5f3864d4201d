from python import lib

EMOJIS = {}


def initialize(context):
    EMOJIS.update(lib.EMOJIS)


def handler(event, context):
    return EMOJIS.get(event.decode("utf-8").strip(), "?")


def pre_stop(context):
    EMOJIS.clear()
