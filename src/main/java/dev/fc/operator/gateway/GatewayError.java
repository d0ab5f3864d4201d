package dev.fc.operator.gateway;

/**
 * An answer the gateway gives itself instead of the instance's: its HTTP status, its {@code x-fc-error-type}
 * and the message of its JSON body.
 */
public record GatewayError(int status, String errorType, String message, InvocationOutcome outcome) {
  public static final String FUNCTION_NOT_FOUND = "FunctionNotFound";
  public static final String INITIALIZATION_ERROR = "InitializationError";
  public static final String RESOURCE_THROTTLED = "ResourceThrottled";
  public static final String INSTANCE_START_TIMEOUT = "InstanceStartTimeout";
  public static final String INSTANCE_ERROR = "InstanceError";
  public static final String NOT_FOUND = "NotFound";
  public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
  public static final String REQUEST_TOO_LARGE = "RequestEntityTooLarge";
  /** The replica owning the function took the invocation and broke the connection before answering. */
  public static final String GATEWAY_ERROR = "GatewayError";

  public static GatewayError functionNotFound(FunctionKey key) {
    return new GatewayError(404, FUNCTION_NOT_FOUND, "function " + key.name() + " not found in namespace "
        + key.namespace() + " (no FunctionInstance " + key + " is watched by this gateway)",
        InvocationOutcome.NOT_FOUND);
  }

  /** FC answers an Initializer's failure with HTTP 200 and this error type. */
  public static GatewayError initialization(String message) {
    return new GatewayError(200, INITIALIZATION_ERROR, message, InvocationOutcome.INITIALIZATION_ERROR);
  }

  public static GatewayError throttled(String message) {
    return new GatewayError(429, RESOURCE_THROTTLED, message, InvocationOutcome.THROTTLED);
  }

  public static GatewayError startTimeout(String message) {
    return new GatewayError(503, INSTANCE_START_TIMEOUT, message, InvocationOutcome.START_TIMEOUT);
  }

  public static GatewayError instanceError(String message) {
    return new GatewayError(502, INSTANCE_ERROR, message, InvocationOutcome.UPSTREAM_ERROR);
  }

  /** Not retried: the owner had the invocation, so it may have run. */
  public static GatewayError ownerBroke(String message) {
    return new GatewayError(502, GATEWAY_ERROR, message, InvocationOutcome.UPSTREAM_ERROR);
  }

  public static GatewayError badRoute(int status, String errorType, String message) {
    return new GatewayError(status, errorType, message, InvocationOutcome.NOT_FOUND);
  }

  /** Thrown through a future to carry the error. */
  public static final class Failure extends RuntimeException {
    private final GatewayError error;

    public Failure(GatewayError error) {
      super(error.errorType() + ": " + error.message(), null, false, false);
      this.error = error;
    }

    public GatewayError error() {
      return error;
    }
  }
}
