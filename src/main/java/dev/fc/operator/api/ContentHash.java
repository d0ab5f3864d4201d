package dev.fc.operator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Short, stable SHA-256 hashes of content, used in object names and the pod template label. */
public final class ContentHash {
  public static final int LENGTH = 10;

  private ContentHash() {}

  public static String of(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /** A hash of a file map that does not depend on the map's iteration order. */
  public static String ofFiles(Map<String, String> files) {
    StringBuilder text = new StringBuilder();
    new TreeMap<>(files).forEach((name, content) ->
        text.append(name.length()).append(':').append(name).append(content.length()).append(':').append(content));
    return of(text.toString());
  }
}
