package dev.fc.operator.convert;

import java.util.ArrayList;
import java.util.List;

/** A path into the s.yaml as messages show it, e.g. {@code resources.hello_world.props.memorySize}. */
public record PropPath(List<String> segments) {
  public static final PropPath ROOT = new PropPath(List.of());

  public PropPath {
    segments = List.copyOf(segments);
  }

  public static PropPath of(String... segments) {
    return new PropPath(List.of(segments));
  }

  public PropPath child(String key) {
    List<String> longer = new ArrayList<>(segments);
    longer.add(key);
    return new PropPath(longer);
  }

  /** A list item, shown as {@code [index]}. */
  public PropPath item(int index) {
    return child("[" + index + "]");
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  public PropPath parent() {
    if (isRoot()) {
      throw new IllegalStateException("the root has no parent");
    }
    return new PropPath(segments.subList(0, segments.size() - 1));
  }

  public String last() {
    return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (String segment : segments) {
      if (!text.isEmpty() && !segment.startsWith("[")) {
        text.append('.');
      }
      text.append(segment);
    }
    return text.toString();
  }
}
