package dev.fc.operator.contract;

/** The invocation port's path and headers (docs/runtime-contract.md, "Invocation endpoint"). */
public final class InvocationEndpoint {
  /** An event function's one path ({@code POST}); an HTTP function serves every path. */
  public static final String EVENT_PATH = "/invoke";
  /** Names the kind of an error answer: {@code UnhandledInvocationError}, {@code FunctionTimeout}, ... */
  public static final String ERROR_TYPE_HEADER = "x-fc-error-type";
  /** The invocation's id: honoured when valid, else made by the runtime; echoed in the answer. */
  public static final String REQUEST_ID_HEADER = "x-fc-request-id";

  private InvocationEndpoint() {}
}
