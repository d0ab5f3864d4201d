package dev.fc.operator.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Reads a process's output line by line (UTF-8) in a daemon thread until it closes. */
public final class LinePump {
  private LinePump() {}

  /** Starts the thread; join it after the process ended so that no line is missed. */
  public static Thread start(InputStream in, Consumer<String> lines, String threadName) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          lines.accept(line);
        }
      } catch (IOException ended) {
        // the process ended or its output was closed
      }
    }, threadName);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
