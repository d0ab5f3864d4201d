import os


def handler(event, context):
    return "%s from %s" % (os.environ.get("GREETING", "hello"), os.environ["FC_FUNC_CODE_PATH"])
