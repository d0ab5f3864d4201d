package dev.fc.operator.cli;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A namespace option given repeated and/or comma-separated ({@code -n a,b -n c}), as one ordered set. */
final class NamespaceList {
  private NamespaceList() {}

  /** The namespaces named, blanks dropped; empty (all namespaces) when none or {@code values} is null. */
  static Set<String> parse(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    if (values != null) {
      values.stream().flatMap(n -> Arrays.stream(n.split(","))).map(String::strip).filter(n -> !n.isEmpty())
          .forEach(out::add);
    }
    return out;
  }
}
