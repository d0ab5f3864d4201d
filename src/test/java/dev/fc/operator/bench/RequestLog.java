package dev.fc.operator.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The requests one client (by User-Agent) sent to the mock server, counted as "VERB resource[/sub]". */
final class RequestLog {
  private static final Pattern PATH = Pattern.compile(
      "^/(?:api/v1|apis/[^/]+/[^/]+)(?:/namespaces/[^/]+)?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?$");

  private RequestLog() {}

  /** Drains the server's recorded requests; counts those whose User-Agent is {@code agent}. */
  static Map<String, Integer> drain(KubernetesMockServer server, String agent) throws InterruptedException {
    Map<String, Integer> counts = new TreeMap<>();
    RecordedRequest request;
    while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      if (!agent.equals(request.getHeader("User-Agent"))) {
        continue;
      }
      URI uri = URI.create(request.getPath());
      Matcher m = PATH.matcher(uri.getRawPath());
      if (!m.matches()) {
        counts.merge(request.getMethod() + " " + uri.getRawPath(), 1, Integer::sum);
        continue;
      }
      String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
      String verb = switch (request.getMethod()) {
        case "GET" -> query.contains("watch=true") ? "WATCH" : m.group(2) == null ? "LIST" : "GET";
        default -> request.getMethod();
      };
      counts.merge(verb + " " + m.group(1) + (m.group(3) == null ? "" : "/" + m.group(3)), 1, Integer::sum);
    }
    return counts;
  }

  static int writes(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith("POST") || e.getKey().startsWith("PUT") || e.getKey().startsWith("PATCH")
            || e.getKey().startsWith("DELETE"))
        .mapToInt(Map.Entry::getValue).sum();
  }
}
