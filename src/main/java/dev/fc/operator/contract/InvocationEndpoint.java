package dev.fc.operator.contract;

import java.util.List;

/** The invocation port's path and headers (docs/runtime-contract.md, "Invocation endpoint"). */
public final class InvocationEndpoint {
  /** An event function's one path ({@code POST}); an HTTP function serves every path. */
  public static final String EVENT_PATH = "/invoke";
  /** Names the kind of an error answer: {@code UnhandledInvocationError}, {@code FunctionTimeout}, ... */
  public static final String ERROR_TYPE_HEADER = "x-fc-error-type";
  /** The invocation's id: honoured when valid, else made by the runtime; echoed in the answer. */
  public static final String REQUEST_ID_HEADER = "x-fc-request-id";

  /**
   * What a custom runtime's adapter sends the user's server with each call, besides {@link #REQUEST_ID_HEADER}: FC's
   * headers (docs/runtime-contract.md, "Custom runtimes: the adapter"), each only when it has a value.
   */
  public static final List<String> CUSTOM_SERVER_HEADERS = List.of("x-fc-function-name", "x-fc-function-handler",
      "x-fc-function-memory", "x-fc-function-timeout", "x-fc-function-initializer", "x-fc-initialization-timeout",
      "x-fc-instance-lifecycle-pre-stop-handler", "x-fc-region", "x-fc-account-id", "x-fc-qualifier",
      "x-fc-service-name", "x-fc-instance-id", "x-fc-control-path", "x-fc-access-key-id", "x-fc-access-key-secret",
      "x-fc-security-token");
  /** A custom server's answer to an event invocation with this header at {@code 404} is the function's error. */
  public static final String CUSTOM_STATUS_HEADER = "x-fc-status";

  private InvocationEndpoint() {}
}
