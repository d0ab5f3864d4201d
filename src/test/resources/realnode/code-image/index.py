# Code shipped in an image (spec.code.image: fc-code-demo:1, built by .ci/realnode/build.sh), copied to /code by an init container.
GREETING = []


def initialize(context):
    GREETING.append("hello from code.image")
    context.get_logger().info("initializer: code came from an image")


def handler(event, context):
    return GREETING[0]


def pre_stop(context):
    context.get_logger().info("preStop: image code says bye")
