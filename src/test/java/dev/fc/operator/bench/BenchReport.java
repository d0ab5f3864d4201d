package dev.fc.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's printed figures: each line goes to stdout at once and, on {@link #write()}, to
 * {@code target/bench/<name>.txt}, after a header naming the machine, the date and the load average.
 */
public final class BenchReport {
  private final String name;
  private final List<String> lines = new ArrayList<>();

  public BenchReport(String name) {
    this.name = name;
    line("# " + name + ", " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    line("machine: " + machine());
    line("load average at start: " + loadAverage());
  }

  public void line(String text) {
    System.out.println(text);
    lines.add(text);
  }

  public void line(String format, Object... args) {
    line(String.format(java.util.Locale.ROOT, format, args));
  }

  /** Adds the final load average and writes the file; returns its path. */
  public Path write() {
    line("load average at end: " + loadAverage());
    try {
      Path file = Path.of("target", "bench", name + ".txt");
      Files.createDirectories(file.getParent());
      Files.write(file, lines);
      System.out.println("written to " + file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** nproc, the CPU model and the memory, from /proc (Linux). */
  public static String machine() {
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal").replace("kB", "").strip();
    String mem = memKb.isEmpty() ? "?" : String.format(java.util.Locale.ROOT, "%.1f GiB",
        Long.parseLong(memKb) / 1024.0 / 1024.0);
    return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), " + mem + " RAM, Java "
        + System.getProperty("java.version");
  }

  /** The first three fields of /proc/loadavg (1, 5 and 15 minutes). */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "?";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String l : Files.readAllLines(file)) {
        if (l.startsWith(key)) {
          return l.substring(l.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return "?";
  }
}
