package dev.fc.operator.gateway;

import dev.fc.operator.contract.InvocationEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one invocation to its instance with the JDK's HTTP/1.1 client (which keeps connections alive and
 * reuses them), without blocking a thread while it runs.
 */
final class InstanceCall {
  private final HttpClient client;

  InstanceCall(HttpClient client) {
    this.client = client;
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(java.time.Duration.ofSeconds(2))
        .build();
  }

  /**
   * Sends {@code method target} with the client's headers (not hop-by-hop ones nor {@link PeerCall#HOP_HEADER},
   * and the request id as
   * {@link InvocationEndpoint#REQUEST_ID_HEADER}) and body to the slot's instance, bounded by the function's
   * timeout plus a second.
   */
  CompletableFuture<HttpResponse<byte[]>> send(Slot slot, String method, String target,
      Map<String, List<String>> headers, byte[] body, String requestId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + slot.instance().address() + target))
        .timeout(slot.function().upstreamTimeout())
        .method(method, body.length == 0 && !"POST".equals(method) && !"PUT".equals(method)
            && !"PATCH".equals(method)
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!HopByHop.is(lower) && !lower.equals(InvocationEndpoint.REQUEST_ID_HEADER)
          && !lower.equals(PeerCall.HOP_HEADER)) {
        values.forEach(value -> request.header(name, value));
      }
    });
    request.header(InvocationEndpoint.REQUEST_ID_HEADER, requestId);
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
