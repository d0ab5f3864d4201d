package dev.fc.operator.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.fc.operator.contract.InvocationEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The invocation port: routes a request to its function; sends it on unchanged to the replica owning the
 * function when that is another one ({@link PeerSet}, docs/gateway.md "Several replicas"), else takes a slot
 * (or waits for one, holding no thread), sends it to the instance and passes the answer back. Every answer
 * carries the request id, which is chosen here before any forwarding.
 */
final class InvocationHandler implements HttpHandler {
  /** FC's bound on a synchronous invocation's body, as the runtime's. */
  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  /** Beyond the owner's own bounds (hold, then the instance's answer), before a forward is given up. */
  static final Duration FORWARD_SLACK = Duration.ofSeconds(5);
  /** The bound of a forward for a function this replica does not know (yet): the owner may hold it. */
  static final Duration UNKNOWN_FUNCTION_FORWARD_TIMEOUT = Duration.ofMinutes(10);

  private final InstanceDirectory directory;
  private final InstanceCall call;
  private final PeerSet peers;
  private final PeerCall peerCall;
  private final GatewayMetrics metrics;
  private final String defaultNamespace;

  InvocationHandler(InstanceDirectory directory, InstanceCall call, PeerSet peers, PeerCall peerCall,
      GatewayMetrics metrics, String defaultNamespace) {
    this.directory = directory;
    this.call = call;
    this.peers = peers;
    this.peerCall = peerCall;
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
    if (!exchange.getRequestHeaders().containsKey(PeerCall.HOP_HEADER)) {
      Optional<Peer> owner = peers.ownerOf(route.key());
      if (owner.isPresent()) {
        forwardToOwner(exchange, requestId, route, body, owner.get());
        return;
      }
    }
    serveHere(exchange, requestId, route, body);
  }

  /** Its answer passed back; served here when the owner cannot be reached; 502 GatewayError when it broke. */
  private void forwardToOwner(HttpExchange exchange, String requestId, InvocationRoute route, byte[] body,
      Peer owner) {
    Duration timeout = directory.function(route.key())
        .map(f -> f.holdBound().plus(f.upstreamTimeout()).plus(FORWARD_SLACK))
        .orElse(UNKNOWN_FUNCTION_FORWARD_TIMEOUT);
    String rawQuery = exchange.getRequestURI().getRawQuery();
    String target = exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
    CompletableFuture<HttpResponse<byte[]>> sent;
    try {
      sent = peerCall.send(owner, exchange.getRequestMethod(), target, exchange.getRequestHeaders(), body,
          requestId, timeout);
    } catch (RuntimeException badRequest) { // a header the client library refuses
      Answers.error(exchange, requestId, GatewayError.badRoute(400, "BadRequest",
          "the request cannot be forwarded: " + badRequest.getMessage()));
      return;
    }
    sent.whenComplete((response, error) -> {
      if (error == null) {
        peerCall.answered(owner);
        metrics.forwarded(route.key(), ForwardResult.ANSWERED);
        Answers.passThrough(exchange, requestId, response);
      } else if (PeerCall.unreached(error)) {
        peerCall.unreachable(owner, error);
        metrics.forwarded(route.key(), ForwardResult.UNREACHABLE);
        serveHere(exchange, requestId, route, body);
      } else {
        metrics.forwarded(route.key(), ForwardResult.BROKEN);
        Answers.error(exchange, requestId, GatewayError.ownerBroke("gateway replica " + owner.name() + " at "
            + owner.address() + ", which owns " + route.key() + ", took the invocation but did not answer it ("
            + PeerCall.cause(error) + "); it may have run, so it is not retried"));
      }
    });
  }

  private void serveHere(HttpExchange exchange, String requestId, InvocationRoute route, byte[] body) {
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
