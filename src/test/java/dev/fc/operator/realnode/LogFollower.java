package dev.fc.operator.realnode;

import dev.fc.operator.Await;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's log (the function container's unless told) followed from its start with the kubelet's timestamps ({@code kubectl logs -f
 * --timestamps}): the only way to read what a pod printed during its PreStop, since its log goes with it.
 */
final class LogFollower implements AutoCloseable {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final LogWatch watch;

  private LogFollower(KubernetesClient client, String namespace, String pod, String container) {
    OutputStream sink = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (buffer) {
          buffer.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (buffer) {
          buffer.write(b, off, len);
        }
      }
    };
    this.watch = client.pods().inNamespace(namespace).withName(pod).inContainer(container).usingTimestamps()
        .watchLog(sink);
  }

  static LogFollower start(KubernetesClient client, String namespace, String pod) {
    return start(client, namespace, pod, "function");
  }

  /** One container's log: a custom runtime's pod has two, the user's server and the adapter. */
  static LogFollower start(KubernetesClient client, String namespace, String pod, String container) {
    return new LogFollower(client, namespace, pod, container);
  }

  /** The word after the first {@code marker} in the log so far (a request id after FC's marker); fails if none. */
  String wordAfter(String marker) {
    String log = text();
    Matcher m = Pattern.compile(Pattern.quote(marker) + "(\\S+)").matcher(log);
    if (!m.find()) {
      throw new AssertionError("no '" + marker + "' in:\n" + log);
    }
    return m.group(1);
  }

  String text() {
    synchronized (buffer) {
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  List<String> lines() {
    return text().lines().toList();
  }

  /** Waits for a line containing {@code text}; returns the kubelet's timestamp of it. */
  Instant await(String text, Duration timeout) {
    return Await.value("a log line with '" + text + "'", timeout, () -> find(text), Optional::isPresent).get();
  }

  Optional<Instant> find(String text) {
    return lines().stream().filter(l -> l.contains(text)).findFirst().map(LogFollower::timestamp);
  }

  /** The kubelet's timestamp at the start of a {@code --timestamps} line. */
  static Instant timestamp(String line) {
    return Instant.parse(line.substring(0, line.indexOf(' ')));
  }

  @Override
  public void close() {
    watch.close();
  }
}
