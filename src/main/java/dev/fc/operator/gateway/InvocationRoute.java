package dev.fc.operator.gateway;

import dev.fc.operator.api.HandlerType;
import dev.fc.operator.contract.InvocationEndpoint;

/**
 * Where an invocation goes: the function, and the method and target to send to its instance. Pure.
 *
 * <ul>
 *   <li>{@code POST /2023-03-30/functions/{name}/invocations} (FC's InvokeFunction): the namespace from
 *       {@value #NAMESPACE_HEADER}, else the gateway's default; sent as {@code POST /invoke} to an event
 *       function, {@code POST /} to an HTTP function.</li>
 *   <li>{@code ANY /fn/{namespace}/{name}/{rest...}}: sent with its method as {@code /{rest...}} and its query.</li>
 * </ul>
 *
 * @param rawTarget the path and query to send for a plain route; null for InvokeFunction (it depends on the
 *     handler type, {@link #target})
 */
public record InvocationRoute(FunctionKey key, String method, String rawTarget) {
  public static final String INVOKE_PREFIX = "/2023-03-30/functions/";
  public static final String INVOKE_SUFFIX = "/invocations";
  public static final String PLAIN_PREFIX = "/fn/";
  /** Names the function's namespace for InvokeFunction. */
  public static final String NAMESPACE_HEADER = "x-fc-namespace";

  /**
   * The route of a request, or a {@link GatewayError.Failure} (404 NotFound, 405 MethodNotAllowed).
   *
   * @param rawPath the request's path as sent (percent-encoded)
   * @param rawQuery its query, or null
   */
  public static InvocationRoute parse(String method, String rawPath, String rawQuery, String namespaceHeader,
      String defaultNamespace) {
    if (rawPath.startsWith(INVOKE_PREFIX) && rawPath.endsWith(INVOKE_SUFFIX)) {
      String name = rawPath.substring(INVOKE_PREFIX.length(), rawPath.length() - INVOKE_SUFFIX.length());
      if (!name.isEmpty() && !name.contains("/")) {
        if (!"POST".equals(method)) {
          throw new GatewayError.Failure(GatewayError.badRoute(405, GatewayError.METHOD_NOT_ALLOWED,
              "InvokeFunction is POST " + rawPath + ", not " + method));
        }
        String namespace = namespaceHeader == null || namespaceHeader.isBlank()
            ? defaultNamespace : namespaceHeader.strip();
        return new InvocationRoute(new FunctionKey(namespace, name), "POST", null);
      }
    }
    if (rawPath.startsWith(PLAIN_PREFIX)) {
      String[] parts = rawPath.substring(PLAIN_PREFIX.length()).split("/", 3);
      if (parts.length >= 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
        String rest = "/" + (parts.length == 3 ? parts[2] : "");
        return new InvocationRoute(new FunctionKey(parts[0], parts[1]), method,
            rawQuery == null ? rest : rest + "?" + rawQuery);
      }
    }
    throw new GatewayError.Failure(GatewayError.badRoute(404, GatewayError.NOT_FOUND, "no route for " + rawPath
        + ": invoke a function with POST " + INVOKE_PREFIX + "{name}" + INVOKE_SUFFIX + " (namespace in the "
        + NAMESPACE_HEADER + " header) or with any method on " + PLAIN_PREFIX + "{namespace}/{name}/{path}"));
  }

  /** The path and query to send to an instance of a function of {@code type}. */
  public String target(HandlerType type) {
    if (rawTarget != null) {
      return rawTarget;
    }
    return type == HandlerType.HTTP ? "/" : InvocationEndpoint.EVENT_PATH;
  }
}
