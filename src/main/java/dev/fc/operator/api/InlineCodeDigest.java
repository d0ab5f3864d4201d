package dev.fc.operator.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reconciling reads of inline code, without the code: its paths (the volume's items, the handler's file), the
 * paths given no content, its size in bytes (the 1 MiB bound) and the hash of its content (the code ConfigMap's name).
 * The operator's cache keeps this instead of the files, so that its memory does not grow with the code; the files are
 * read from the API only when their ConfigMap must be written.
 *
 * @param paths every file's path, sorted
 * @param pathsWithoutContent the paths whose content is null (an error the validator names)
 * @param bytes the content's total size in UTF-8
 * @param hash {@code ContentHash.ofFiles} of the files, as in the code ConfigMap's name
 */
public record InlineCodeDigest(List<String> paths, List<String> pathsWithoutContent, long bytes, String hash) {
  public InlineCodeDigest {
    paths = List.copyOf(paths);
    pathsWithoutContent = List.copyOf(pathsWithoutContent);
  }

  public static InlineCodeDigest of(Map<String, String> files) {
    List<String> paths = new ArrayList<>();
    List<String> withoutContent = new ArrayList<>();
    long bytes = 0;
    Map<String, String> sorted = new TreeMap<>(files);
    for (Map.Entry<String, String> file : sorted.entrySet()) {
      paths.add(file.getKey());
      if (file.getValue() == null) {
        withoutContent.add(file.getKey());
      } else {
        bytes += file.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
    }
    String hash = withoutContent.isEmpty() ? ContentHash.ofFiles(sorted) : null;
    return new InlineCodeDigest(paths, withoutContent, bytes, hash);
  }

  public boolean holds(String path) {
    return paths.contains(path);
  }
}
