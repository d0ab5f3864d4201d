package dev.fc.operator.reconciler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of each string of a small vocabulary, for the caches' objects. Never emptied, so bounded: some
 * values are the user's (handler names) and functions come and go; past the bound a new value keeps its own copy.
 */
final class Vocabulary {
  /** Some 10,000 short strings: well under a MiB. */
  static final int DEFAULT_SIZE = 10_000;

  private final Map<String, String> copies = new ConcurrentHashMap<>();
  private final int maxSize;

  Vocabulary(int maxSize) {
    this.maxSize = maxSize;
  }

  String shared(String value) {
    if (value == null) {
      return null;
    }
    String copy = copies.get(value);
    if (copy != null) {
      return copy;
    }
    return copies.size() >= maxSize ? value : copies.computeIfAbsent(value, v -> v);
  }

  int size() {
    return copies.size();
  }
}
