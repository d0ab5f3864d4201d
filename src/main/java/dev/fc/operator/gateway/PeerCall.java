package dev.fc.operator.gateway;

import dev.fc.operator.contract.InvocationEndpoint;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards an invocation, unchanged, to the replica that owns its function, with the JDK's HTTP/1.1 client
 * (connections kept alive and reused), and tells whether the owner could not be reached at all (then nothing
 * was sent, and this replica may serve it itself). Logs once per peer that it cannot be reached, until it
 * answers again.
 */
final class PeerCall {
  /** Marks a forwarded invocation, naming the replica that forwarded it; such an invocation is served where it arrives. */
  static final String HOP_HEADER = "x-fc-gateway-hop";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(PeerCall.class);

  private final HttpClient client;
  private final String self;
  private final Set<String> unreachable = ConcurrentHashMap.newKeySet();

  PeerCall(String self) {
    this.self = self;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
  }

  /**
   * Sends {@code method rawPathAndQuery} with the client's headers (not hop-by-hop ones; the request id as
   * {@code requestId}; {@link #HOP_HEADER} naming this replica) and body to {@code owner}'s invocation port.
   */
  CompletableFuture<HttpResponse<byte[]>> send(Peer owner, String method, String rawPathAndQuery,
      Map<String, List<String>> headers, byte[] body, String requestId, Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + owner.address() + rawPathAndQuery))
        .timeout(timeout)
        .method(method, body.length == 0 && !"POST".equals(method) && !"PUT".equals(method)
            && !"PATCH".equals(method)
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!HopByHop.is(lower) && !lower.equals(InvocationEndpoint.REQUEST_ID_HEADER) && !lower.equals(HOP_HEADER)) {
        values.forEach(value -> request.header(name, value));
      }
    });
    request.header(InvocationEndpoint.REQUEST_ID_HEADER, requestId);
    request.header(HOP_HEADER, self);
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The send failed before a connection to the owner existed: nothing of the invocation reached it. */
  static boolean unreached(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
          || t instanceof NoRouteToHostException || t instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  void answered(Peer owner) {
    if (unreachable.remove(owner.name())) {
      LOG.info("gateway replica {} at {} answers again; invocations it owns go to it", owner.name(),
          owner.address());
    }
  }

  void unreachable(Peer owner, Throwable error) {
    if (unreachable.add(owner.name())) {
      LOG.warn("gateway replica {} at {} cannot be reached ({}); this replica serves the invocations it owns "
          + "until it answers again or leaves", owner.name(), owner.address(), cause(error));
    }
  }

  static String cause(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t instanceof java.util.concurrent.CompletionException) {
      t = t.getCause();
    }
    return t.toString();
  }
}
