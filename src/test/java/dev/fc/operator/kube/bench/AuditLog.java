package dev.fc.operator.kube.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kube-apiserver's JSON audit log (level Metadata, written in blocking mode: an event is in the file before its
 * response leaves), read from a byte offset: {@link #mark()} before a window, {@link #since} after it counts each
 * request once (by auditID) per user whose requestReceivedTimestamp lies in the window, as "VERB" and
 * "VERB resource[/subresource]", verbs as HTTP names them (GET, LIST, WATCH, POST, PUT, PATCH, DELETE).
 *
 * <p>kube-apiserver 1.20 writes a WATCH's events only when the watch ends: read the log after the watching process
 * has stopped, or its open watches are missing.
 */
final class AuditLog {
  static final String POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: [RequestReceived]
      rules:
      - level: Metadata
        users: [%s]
      - level: None
      """;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  AuditLog(Path file) {
    this.file = file;
  }

  /** An audit policy logging only {@code users}' requests, at level Metadata. */
  static String policyFor(String... users) {
    return POLICY.formatted(String.join(", ", users));
  }

  /** The log's current end. */
  long mark() {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The requests of every user received within [{@code from}, {@code to}], read from {@code offset} (a {@link #mark()}
   * taken before {@code from}) to the log's current end (complete lines only).
   */
  Map<String, RequestCounts> since(long offset, Instant from, Instant to) {
    Map<String, RequestCounts> byUser = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long end = in.length();
      in.seek(offset);
      if (end - offset > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("more than 2 GB of audit log in one window: " + file);
      }
      byte[] bytes = new byte[(int) (end - offset)];
      in.readFully(bytes);
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          count(new String(bytes, start, i - start, StandardCharsets.UTF_8), from, to, seen, byUser);
          start = i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byUser;
  }

  private static void count(String line, Instant from, Instant to, Set<String> seen,
      Map<String, RequestCounts> byUser) throws IOException {
    if (line.isBlank()) {
      return;
    }
    JsonNode event = JSON.readTree(line);
    Instant received = Instant.parse(event.path("requestReceivedTimestamp").asText());
    if (received.isBefore(from) || received.isAfter(to) || !seen.add(event.path("auditID").asText())) {
      return; // a long-running request (WATCH) logs ResponseStarted and ResponseComplete
    }
    String user = event.path("user").path("username").asText();
    JsonNode ref = event.path("objectRef");
    String resource = ref.path("resource").asText(event.path("requestURI").asText());
    String sub = ref.path("subresource").asText("");
    byUser.computeIfAbsent(user, u -> new RequestCounts())
        .add(httpVerb(event.path("verb").asText()), sub.isEmpty() ? resource : resource + "/" + sub);
  }

  static String httpVerb(String auditVerb) {
    return switch (auditVerb) {
      case "get" -> "GET";
      case "list" -> "LIST";
      case "watch" -> "WATCH";
      case "create" -> "POST";
      case "update" -> "PUT";
      case "patch" -> "PATCH";
      case "delete", "deletecollection" -> "DELETE";
      default -> auditVerb.toUpperCase(Locale.ROOT);
    };
  }
}
