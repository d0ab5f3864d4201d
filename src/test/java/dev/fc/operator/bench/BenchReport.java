package dev.fc.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Prints a benchmark's lines and writes them to target/bench/NAME.txt. */
final class BenchReport {
  private final String name;
  private final List<String> lines = new ArrayList<>();

  BenchReport(String name) {
    this.name = name;
  }

  void line(String format, Object... args) {
    String line = String.format(format, args);
    System.out.println("[" + name + "] " + line);
    lines.add(line);
  }

  void write() {
    try {
      Path dir = Files.createDirectories(Path.of("target/bench"));
      Files.write(dir.resolve(name + ".txt"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String machine() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
      String load = Files.readString(Path.of("/proc/loadavg")).strip();
      return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", max heap "
          + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, load " + load;
    } catch (IOException e) {
      return Runtime.getRuntime().availableProcessors() + " cores";
    }
  }

  /** Median, min and max of a sample, as "median (min–max)". */
  static String spread(List<Double> values, String format) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return String.format(format + " (" + format + "–" + format + ")", median, sorted.get(0), sorted.get(n - 1));
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
