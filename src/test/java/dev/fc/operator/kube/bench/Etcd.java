package dev.fc.operator.kube.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * etcd 3.4's v3 JSON gateway on its client URL: the database size after compaction and defragmentation, and the
 * stored values' sizes under {@code /registry/} by namespace and resource ({@code pods},
 * {@code services/specs}, {@code fc.dev/functioninstances}, ...), which is what kube-apiserver keeps for them
 * (protobuf for built-in kinds, JSON for custom resources).
 */
final class Etcd {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/registry/";
  private static final int PAGE = 100;
  private static final String ALREADY_COMPACTED = "required revision has been compacted";

  private final String url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Etcd(String url) {
    this.url = url;
  }

  /** Keys and value bytes of one resource in one namespace. */
  record Usage(long keys, long valueBytes) {}

  /**
   * Compacts to the current revision (unless it is compacted already: nothing was written since), defragments, and
   * returns the database size in bytes.
   */
  long compactedSize() {
    JsonNode status = post("/v3/maintenance/status", JSON.createObjectNode());
    String revision = status.path("header").path("revision").asText();
    ObjectNode compaction = JSON.createObjectNode().put("revision", revision).put("physical", true);
    HttpResponse<String> compacted = send("/v3/kv/compaction", compaction);
    if (compacted.statusCode() != 200 && !compacted.body().contains(ALREADY_COMPACTED)) {
      throw new IllegalStateException("etcd compaction: " + compacted.statusCode() + " " + compacted.body());
    }
    post("/v3/maintenance/defragment", JSON.createObjectNode());
    return post("/v3/maintenance/status", JSON.createObjectNode()).path("dbSize").asLong();
  }

  /** The server's version string, e.g. 3.4.23. */
  String version() {
    return post("/v3/maintenance/status", JSON.createObjectNode()).path("version").asText();
  }

  /**
   * For each of {@code namespaces}: resource (the key's path between {@code /registry/} and the namespace) to its
   * keys and value bytes. Reads every key under {@code /registry/}, {@value #PAGE} at a time.
   */
  Map<String, Map<String, Usage>> usageByNamespace(Set<String> namespaces) {
    Map<String, Map<String, Usage>> out = new HashMap<>();
    namespaces.forEach(ns -> out.put(ns, new TreeMap<>()));
    byte[] key = PREFIX.getBytes(StandardCharsets.UTF_8);
    byte[] end = prefixEnd(key);
    while (true) {
      ObjectNode range = JSON.createObjectNode().put("key", b64(key)).put("range_end", b64(end)).put("limit", PAGE);
      JsonNode page = post("/v3/kv/range", range);
      JsonNode kvs = page.path("kvs");
      byte[] last = null;
      for (JsonNode kv : kvs) {
        last = Base64.getDecoder().decode(kv.path("key").asText());
        String path = new String(last, StandardCharsets.UTF_8);
        String[] parts = path.substring(PREFIX.length()).split("/");
        for (int i = 1; i < parts.length - 1; i++) { // resource.../namespace/name
          Map<String, Usage> usage = out.get(parts[i]);
          if (usage != null) {
            String resource = String.join("/", Arrays.copyOfRange(parts, 0, i));
            usage.merge(resource, new Usage(1, decodedLength(kv.path("value").asText())),
                (a, b) -> new Usage(a.keys() + b.keys(), a.valueBytes() + b.valueBytes()));
            break;
          }
        }
      }
      if (!page.path("more").asBoolean(false) || last == null) {
        return out;
      }
      key = Arrays.copyOf(last, last.length + 1); // the next key after the last one read
    }
  }

  private static long decodedLength(String base64) {
    int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
    return base64.length() / 4L * 3 - padding;
  }

  private static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    end[end.length - 1]++;
    return end;
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private JsonNode post(String path, JsonNode body) {
    HttpResponse<String> response = send(path, body);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("etcd " + path + ": " + response.statusCode() + " " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> send(String path, JsonNode body) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + path))
          .timeout(Duration.ofMinutes(5))
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
