package dev.fc.operator.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.fc.operator.contract.InvocationEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionException;

/**
 * The invocation port: routes a request to its function, takes a slot (or waits for one, holding no thread),
 * sends it to the instance and passes the answer back. Every answer carries the request id.
 */
final class InvocationHandler implements HttpHandler {
  /** FC's bound on a synchronous invocation's body, as the runtime's. */
  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final InstanceDirectory directory;
  private final InstanceCall call;
  private final GatewayMetrics metrics;
  private final String defaultNamespace;

  InvocationHandler(InstanceDirectory directory, InstanceCall call, GatewayMetrics metrics, String defaultNamespace) {
    this.directory = directory;
    this.call = call;
    this.metrics = metrics;
    this.defaultNamespace = defaultNamespace;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String requestId = RequestIds.of(exchange.getRequestHeaders().get(InvocationEndpoint.REQUEST_ID_HEADER));
    InvocationRoute route;
    byte[] body;
    try {
      route = InvocationRoute.parse(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestURI().getRawQuery(),
          exchange.getRequestHeaders().getFirst(InvocationRoute.NAMESPACE_HEADER), defaultNamespace);
      body = readBody(exchange);
    } catch (GatewayError.Failure failure) {
      Answers.error(exchange, requestId, failure.error());
      return;
    } catch (IOException clientGone) {
      exchange.close();
      return;
    }
    directory.acquire(route.key()).whenComplete((slot, error) -> {
      if (error != null) {
        GatewayError gatewayError = gatewayError(error);
        metrics.invocation(route.key(), gatewayError.outcome());
        Answers.error(exchange, requestId, gatewayError);
        return;
      }
      if (slot.held()) {
        metrics.held(route.key(), slot.waited());
      }
      forward(exchange, requestId, route, slot, body);
    });
  }

  private void forward(HttpExchange exchange, String requestId, InvocationRoute route, Slot slot, byte[] body) {
    try {
      call.send(slot, route.method(), route.target(slot.function().handlerType()), exchange.getRequestHeaders(),
          body, requestId).whenComplete((response, error) -> {
            directory.release(slot);
            answer(exchange, requestId, route, slot, response, error);
          });
    } catch (RuntimeException badRequest) { // a header the client library refuses
      directory.release(slot);
      Answers.error(exchange, requestId, GatewayError.badRoute(400, "BadRequest",
          "the request cannot be forwarded: " + badRequest.getMessage()));
    }
  }

  private void answer(HttpExchange exchange, String requestId, InvocationRoute route, Slot slot,
      HttpResponse<byte[]> response, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      metrics.invocation(route.key(), InvocationOutcome.UPSTREAM_ERROR);
      Answers.error(exchange, requestId, GatewayError.instanceError("instance " + slot.instance().pod() + " of "
          + route.key() + " at " + slot.instance().address() + " did not answer the invocation: " + cause));
      return;
    }
    boolean functionError = response.headers().firstValue(InvocationEndpoint.ERROR_TYPE_HEADER).isPresent();
    metrics.invocation(route.key(), functionError ? InvocationOutcome.FUNCTION_ERROR : InvocationOutcome.SUCCESS);
    Answers.passThrough(exchange, requestId, response);
  }

  private static GatewayError gatewayError(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof GatewayError.Failure failure) {
      return failure.error();
    }
    return GatewayError.instanceError("the gateway failed to route the invocation: " + cause);
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new GatewayError.Failure(GatewayError.badRoute(413, GatewayError.REQUEST_TOO_LARGE,
            "the request body is larger than " + MAX_BODY_BYTES + " bytes, FC's bound on a synchronous invocation"));
      }
      return body;
    }
  }
}
