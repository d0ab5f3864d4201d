package dev.fc.operator.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.fc.operator.contract.InvocationEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes an answer to the client: the instance's, passed through, or the gateway's own error as FC's JSON. */
final class Answers {
  private static final Logger LOG = LoggerFactory.getLogger(Answers.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Answers() {}

  /** The instance's status, headers (not hop-by-hop ones) and body, unchanged; the request id always set. */
  static void passThrough(HttpExchange exchange, String requestId, HttpResponse<byte[]> response) {
    Headers out = exchange.getResponseHeaders();
    response.headers().map().forEach((name, values) -> {
      if (!HopByHop.is(name) && !name.startsWith(":")) {
        out.put(name, values);
      }
    });
    out.set(InvocationEndpoint.REQUEST_ID_HEADER, requestId);
    write(exchange, response.statusCode(), response.body());
  }

  static void error(HttpExchange exchange, String requestId, GatewayError error) {
    ObjectNode body = JSON.createObjectNode();
    body.put("errorType", error.errorType());
    body.put("errorMessage", error.message());
    Headers out = exchange.getResponseHeaders();
    out.set("Content-Type", "application/json");
    out.set(InvocationEndpoint.ERROR_TYPE_HEADER, error.errorType());
    out.set(InvocationEndpoint.REQUEST_ID_HEADER, requestId);
    try {
      write(exchange, error.status(), JSON.writeValueAsBytes(body));
    } catch (IOException cannotHappen) {
      throw new IllegalStateException(cannotHappen);
    }
  }

  static void write(HttpExchange exchange, int status, byte[] body) {
    boolean noBody = "HEAD".equals(exchange.getRequestMethod()) || status == 204 || status == 304
        || body.length == 0;
    try (exchange; OutputStream stream = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
      if (!noBody) {
        stream.write(body);
      }
    } catch (IOException clientGone) {
      LOG.debug("client went away before its answer: {}", clientGone.toString());
    }
  }
}
