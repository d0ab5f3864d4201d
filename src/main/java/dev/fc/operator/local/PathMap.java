package dev.fc.operator.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Paths inside the container (volume mounts, the termination message file) and where they are on this
 * machine. Only whole path components match: {@code /code/python} maps, {@code /codex} does not.
 */
public final class PathMap {
  private record Entry(String containerPath, Path local) {}

  private final List<Entry> entries = new ArrayList<>();

  public void put(String containerPath, Path local) {
    entries.add(new Entry(trimSlash(containerPath), local));
    entries.sort(Comparator.comparingInt((Entry e) -> e.containerPath().length()).reversed());
  }

  /** A path; unchanged when it is under no mapped path. */
  public String path(String value) {
    for (Entry e : entries) {
      String prefix = e.containerPath();
      if (value.equals(prefix) || value.startsWith(prefix + "/")) {
        return e.local() + value.substring(prefix.length());
      }
    }
    return value;
  }

  /** A variable's value: one path, or a ':'-separated list of them as in PYTHONPATH. */
  public String value(String value) {
    return Stream.of(value.split(":", -1)).map(this::path).collect(Collectors.joining(":"));
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
