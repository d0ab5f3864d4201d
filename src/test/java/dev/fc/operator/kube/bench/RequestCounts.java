package dev.fc.operator.kube.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** One user's API requests, by verb and by "verb resource". */
final class RequestCounts {
  static final List<String> VERBS = List.of("GET", "LIST", "WATCH", "POST", "PUT", "PATCH", "DELETE");
  static final List<String> WRITES = List.of("POST", "PUT", "PATCH", "DELETE");
  static final RequestCounts NONE = new RequestCounts();

  private final Map<String, Long> byVerb = new TreeMap<>();
  private final Map<String, Long> byResource = new TreeMap<>();

  void add(String verb, String resource) {
    byVerb.merge(verb, 1L, Long::sum);
    byResource.merge(verb + " " + resource, 1L, Long::sum);
  }

  long verb(String verb) {
    return byVerb.getOrDefault(verb, 0L);
  }

  long writes() {
    return WRITES.stream().mapToLong(this::verb).sum();
  }

  long total() {
    return byVerb.values().stream().mapToLong(Long::longValue).sum();
  }

  /** "GET 0.00 LIST 0.00 ... per function" for {@code functions} functions. */
  String perFunction(int functions) {
    return VERBS.stream().map(v -> String.format(Locale.ROOT, "%s %.2f", v, verb(v) / (double) functions))
        .collect(Collectors.joining(", "));
  }

  /** "POST pods 100, PATCH functioninstances/status 100, ...". */
  String detail() {
    return byResource.isEmpty() ? "none" : byResource.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
