package dev.fc.operator.local;

import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** A probe's or hook's {@code httpGet}, sent to the container's local port as the kubelet sends it to the pod. */
final class HttpGet {
  private final URI uri;
  private final HTTPGetAction action;
  private final HttpClient client;

  HttpGet(HTTPGetAction action, PortMap ports, HttpClient client) {
    if (action.getScheme() != null && !"HTTP".equalsIgnoreCase(action.getScheme())) {
      throw new IllegalStateException("only HTTP probes and hooks run locally, not " + action.getScheme());
    }
    String path = action.getPath() == null || action.getPath().isEmpty() ? "/" : action.getPath();
    this.uri = URI.create("http://127.0.0.1:" + ports.local(action.getPort()) + (path.startsWith("/") ? "" : "/") + path);
    this.action = action;
    this.client = client;
  }

  String path() {
    return uri.getPath();
  }

  /** One GET bounded by {@code timeout}; success is a status from 200 to 399. */
  ProbeRunner.Attempt get(Duration timeout) throws InterruptedException {
    try {
      HttpResponse<String> response = client.send(request(timeout), HttpResponse.BodyHandlers.ofString());
      return attempt(response);
    } catch (IOException e) {
      return new ProbeRunner.Attempt(false, describe(e, timeout));
    }
  }

  /** The GET without a timeout of its own, for the preStop hook, which the grace period bounds. */
  CompletableFuture<HttpResponse<String>> getAsync() {
    return client.sendAsync(request(null), HttpResponse.BodyHandlers.ofString());
  }

  static ProbeRunner.Attempt attempt(HttpResponse<String> response) {
    int status = response.statusCode();
    return new ProbeRunner.Attempt(status >= 200 && status < 400, "HTTP " + status);
  }

  static String describe(Throwable e, Duration timeout) {
    if (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof HttpTimeoutException && timeout != null) {
      return "timeout after " + timeout.toSeconds() + "s";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.toLowerCase(Locale.ROOT).contains("closed") || message.contains("EOF")
        ? "connection closed before an answer" : message;
  }

  private HttpRequest request(Duration timeout) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("User-Agent", "kube-probe/local");
    for (HTTPHeader header : action.getHttpHeaders()) {
      request.header(header.getName(), header.getValue());
    }
    if (timeout != null) {
      request.timeout(timeout);
    }
    return request.build();
  }
}
