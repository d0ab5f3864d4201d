package dev.fc.operator.convert;

import dev.fc.operator.api.Code;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a code folder into inline code: every text file (UTF-8, no NUL byte), recursively, keyed by its
 * path with '/' (e.g. {@code python/lib.py}), 1 MiB in total at most. Skips {@link #SKIPPED} and the
 * paths it is told to exclude (the s.yaml itself, the output folder). Symbolic links to folders are not
 * followed.
 */
public final class CodeFolderReader implements CodeSource {
  /** What is never read from a code folder, as the help and docs describe it. */
  public static final String SKIPPED = "names starting with '.' (.git, .env, .venv, .DS_Store, .idea, ...), "
      + "__pycache__ folders, *.pyc and *.pyo files, the s.yaml itself and the output folder";
  private static final Pattern FILE_SEGMENT = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9._-]*$");

  private final Set<Path> excluded;

  /** @param excluded files and folders never read, e.g. the s.yaml and the output folder */
  public CodeFolderReader(Set<Path> excluded) {
    this.excluded = excluded.stream().map(CodeFolderReader::canonical).collect(Collectors.toSet());
  }

  /** File path to content, sorted by path. */
  @Override
  public Map<String, String> read(Path folder) throws CodeFolderException {
    if (!Files.exists(folder)) {
      throw new CodeFolderException("does not exist (" + folder.toAbsolutePath().normalize() + ")");
    }
    if (!Files.isDirectory(folder)) {
      throw new CodeFolderException("is a file, not a folder: unpack it into a folder, or put the code in an "
          + "image (spec.code.image)");
    }
    Map<String, Path> files = list(folder);
    if (files.isEmpty()) {
      throw new CodeFolderException("holds no files to convert (skipped: " + SKIPPED + ")");
    }
    long total = 0;
    for (Map.Entry<String, Path> file : files.entrySet()) {
      total += size(file.getValue());
      if (!validName(file.getKey())) {
        throw new CodeFolderException("holds " + file.getKey() + ", a name inline code cannot use (letters, digits, "
            + "'.', '_' and '-', not starting with '.' or '-'): rename or remove it");
      }
    }
    if (total > Code.MAX_INLINE_BYTES) {
      String largest = files.entrySet().stream()
          .max(Comparator.comparingLong((Map.Entry<String, Path> e) -> size(e.getValue())))
          .map(e -> e.getKey() + ", " + size(e.getValue()) + " bytes").orElse("");
      throw new CodeFolderException("holds " + total + " bytes in " + files.size() + " files (largest: " + largest
          + "), more than inline code can carry (1 MiB, " + Code.MAX_INLINE_BYTES + " bytes): put the code in an "
          + "image (spec.code.image) or a ConfigMap (spec.code.configMap) instead");
    }
    Map<String, String> contents = new LinkedHashMap<>();
    for (Map.Entry<String, Path> file : files.entrySet()) {
      String text = text(file.getValue());
      if (text == null) {
        throw new CodeFolderException("holds a binary file, " + file.getKey() + ", and inline code holds text "
            + "only (UTF-8, no NUL byte): put the code in a ConfigMap (spec.code.configMap) or an image "
            + "(spec.code.image) instead, or remove the file");
      }
      contents.put(file.getKey(), text);
    }
    return contents;
  }

  private Map<String, Path> list(Path folder) throws CodeFolderException {
    Map<String, Path> files = new TreeMap<>();
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (dir.equals(folder)) {
            return FileVisitResult.CONTINUE;
          }
          String name = dir.getFileName().toString();
          return name.startsWith(".") || name.equals("__pycache__") || excluded.contains(canonical(dir))
              ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String name = file.getFileName().toString();
          boolean skipped = name.startsWith(".") || name.endsWith(".pyc") || name.endsWith(".pyo")
              || excluded.contains(canonical(file)) || !Files.isRegularFile(file);
          if (!skipped) {
            files.put(key(folder.relativize(file)), file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new CodeFolderException("cannot be read: " + e.getMessage());
    }
    return files;
  }

  private static String key(Path relative) {
    StringBuilder key = new StringBuilder();
    for (Path segment : relative) {
      if (!key.isEmpty()) {
        key.append('/');
      }
      key.append(segment);
    }
    return key.toString();
  }

  private static boolean validName(String key) {
    for (String segment : key.split("/")) {
      if (!FILE_SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return true;
  }

  /** The file's text, or null when it is not UTF-8 text. */
  private static String text(Path file) throws CodeFolderException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CodeFolderException("holds " + file + ", which cannot be read: " + e.getMessage());
    }
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static Path canonical(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException e) {
      return absolute;
    }
  }
}
