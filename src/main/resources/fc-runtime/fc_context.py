"""The context object handed to handlers and hooks, with the field names of FC's Python runtime."""
from . import fc_log


class Credentials(object):
    def __init__(self, access_key_id, access_key_secret, security_token):
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token


class FunctionMeta(object):
    def __init__(self, name, handler, memory, timeout, initializer, initialization_timeout):
        self.name = name
        self.handler = handler
        self.memory = memory
        self.timeout = timeout
        self.initializer = initializer
        self.initialization_timeout = initialization_timeout


class ServiceMeta(object):
    def __init__(self, name, log_project, log_store, qualifier, version_id):
        self.name = name
        self.log_project = log_project
        self.log_store = log_store
        self.qualifier = qualifier
        self.version_id = version_id


class Tracing(object):
    def __init__(self, span_context=None, jaeger_endpoint=None, span_baggages=None, parent_span_id=None):
        self.span_context = span_context
        self.jaeger_endpoint = jaeger_endpoint
        self.span_baggages = span_baggages
        self.parent_span_id = parent_span_id


class FCContext(object):
    def __init__(self, request_id, config):
        self.request_id = request_id
        self.credentials = Credentials(config.access_key_id, config.access_key_secret, config.security_token)
        self.function = FunctionMeta(
            config.function_name, config.handler, config.memory, config.timeout, config.initializer,
            config.initialization_timeout if config.initializer else None)
        self.service = ServiceMeta(config.service_name, "", "", config.qualifier, "")
        self.region = config.region
        self.account_id = config.account_id
        self.instance_id = config.instance_id
        self.tracing = Tracing()
        self.logger = fc_log.request_logger(request_id)

    def get_logger(self):
        return self.logger
