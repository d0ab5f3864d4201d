def initialize(context):
    print("initialize")


def handler(event, context):
    return "hello"


def pre_stop(context):
    print("pre_stop")


def pre_freeze(context):
    print("pre_freeze")
