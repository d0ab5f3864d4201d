package dev.fc.operator.convert;

import dev.fc.operator.api.Code;
import dev.fc.operator.input.IoProblem;
import dev.fc.operator.input.Utf8Text;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.validation.SpecValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads a code folder into inline code: every text file (UTF-8, no NUL byte), recursively, keyed by its
 * path with '/' (e.g. {@code python/lib.py}), within the bounds inline code has (1 MiB, 1000 files, 16
 * folders deep, keys a ConfigMap can hold), checked while walking so that a huge folder is refused
 * before it is read. Skips {@link #SKIPPED}. Nothing outside the s.yaml's folder is read: the code
 * folder and every symbolic link under it (to a file or a folder) must resolve inside it.
 */
public final class CodeFolderReader implements CodeSource {
  /** What is never read from a code folder, as the help and docs describe it. */
  public static final String SKIPPED = "names starting with '.' (.git, .env, .venv, .DS_Store, .idea, ...), "
      + "__pycache__ folders, *.pyc and *.pyo files, the s.yaml itself and the output folder";
  /** Files and folders looked at in one code folder, skipped ones included: the walk stops there. */
  public static final int MAX_ENTRIES = 10_000;
  private static final String ELSEWHERE = "put the code in an image (spec.code.image) or a ConfigMap "
      + "(spec.code.configMap) instead";

  private final Set<Path> excluded;
  private final int maxEntries;

  /** @param excluded files and folders never read, e.g. the s.yaml and the output folder */
  public CodeFolderReader(Set<Path> excluded) {
    this(excluded, MAX_ENTRIES);
  }

  /** With another bound than {@link #MAX_ENTRIES}, so that a test need not create ten thousand files. */
  CodeFolderReader(Set<Path> excluded, int maxEntries) {
    this.excluded = excluded.stream().map(CodeFolderReader::canonical).collect(Collectors.toSet());
    this.maxEntries = maxEntries;
  }

  /** File path to content, sorted by path. */
  @Override
  public Map<String, String> read(ProjectFolder project, String written) throws CodeFolderException {
    Path folder = project.resolve(written);
    if (!Files.isDirectory(folder) && !Files.isRegularFile(folder)) {
      throw new CodeFolderException("is " + SpecialFile.kind(folder) + ", not a folder: name the folder that holds "
          + "the code");
    }
    if (!Files.isDirectory(folder)) {
      throw new CodeFolderException("is a file, not a folder: unpack it into a folder, or put the code in an "
          + "image (spec.code.image)");
    }
    Listing listing = new Listing(project);
    listing.folder(folder, "", 0);
    Map<String, Path> files = listing.files;
    if (files.isEmpty()) {
      throw new CodeFolderException("holds no files to convert (skipped: " + SKIPPED + ")");
    }
    long total = listing.sizes.values().stream().mapToLong(Long::longValue).sum();
    if (total > Code.MAX_INLINE_BYTES) {
      String largest = listing.sizes.entrySet().stream().max(Map.Entry.comparingByValue())
          .map(e -> SpecValidator.shortened(e.getKey()) + ", " + e.getValue() + " bytes").orElse("");
      throw new CodeFolderException("holds " + total + " bytes in " + files.size() + " files (largest: " + largest
          + "), more than inline code can carry (1 MiB, " + Code.MAX_INLINE_BYTES + " bytes): " + ELSEWHERE);
    }
    Map<String, String> contents = new LinkedHashMap<>();
    long read = 0;
    for (Map.Entry<String, Path> file : files.entrySet()) {
      byte[] bytes = bytes(file.getKey(), file.getValue(), Code.MAX_INLINE_BYTES - read);
      read += bytes.length;
      if (read > Code.MAX_INLINE_BYTES) {
        throw new CodeFolderException("holds more than inline code can carry (1 MiB, " + Code.MAX_INLINE_BYTES
            + " bytes; " + SpecValidator.shortened(file.getKey()) + " grew while convert read it): " + ELSEWHERE);
      }
      contents.put(file.getKey(), text(file.getKey(), bytes));
    }
    return contents;
  }

  /** The walk of one code folder: the files found, bounded as it goes. */
  private final class Listing {
    private final ProjectFolder project;
    private final Map<String, Path> files = new TreeMap<>();
    private final Map<String, Long> sizes = new TreeMap<>();
    /** The real paths of the folders being walked, to find a link back to one of them. */
    private final Deque<Path> open = new ArrayDeque<>();
    private int entries;

    Listing(ProjectFolder project) {
      this.project = project;
    }

    /** Walks {@code folder} (a real path), whose files get keys starting with {@code prefix}. */
    void folder(Path folder, String prefix, int depth) throws CodeFolderException {
      open.push(folder);
      for (Path child : children(folder, prefix)) {
        entry(child, prefix + child.getFileName(), depth);
      }
      open.pop();
    }

    private void entry(Path child, String key, int depth) throws CodeFolderException {
      String name = child.getFileName().toString();
      if (name.startsWith(".")) {
        return;
      }
      BasicFileAttributes attributes = attributes(child, key, LinkOption.NOFOLLOW_LINKS);
      Path target = child;
      if (attributes.isSymbolicLink()) {
        target = linkTarget(child, key);
        attributes = attributes(target, key);
      }
      if (excluded.contains(target)) {
        return;
      }
      if (attributes.isDirectory()) {
        if (name.equals("__pycache__")) {
          return;
        }
        if (open.contains(target)) {
          throw new CodeFolderException("holds " + shown(key) + ", which leads back through a symbolic link to "
              + target + ", a folder that holds it: the code would never end; remove the link");
        }
        if (depth + 1 > SpecValidator.MAX_FOLDER_DEPTH) {
          throw new CodeFolderException("holds " + shown(key) + ", a folder " + (depth + 1) + " levels deep; inline "
              + "code allows at most " + SpecValidator.MAX_FOLDER_DEPTH + " folders in a file's path: " + ELSEWHERE);
        }
        folder(target, key + "/", depth + 1);
      } else if (!attributes.isRegularFile()) {
        // read, a FIFO would wait for a writer, a device could be endless (/dev/zero)
        throw new CodeFolderException("holds " + shown(key) + ", " + SpecialFile.kind(target) + ", not a file: "
            + "convert reads regular files only; remove it from the code folder");
      } else if (!name.endsWith(".pyc") && !name.endsWith(".pyo")) {
        file(key, target, attributes.size());
      }
    }

    private void file(String key, Path target, long size) throws CodeFolderException {
      Optional<String> problem = SpecValidator.inlinePathProblem(key);
      if (problem.isPresent()) {
        throw new CodeFolderException("holds " + shown(key) + ", which " + problem.get() + ": rename, move or remove "
            + "it");
      }
      if (files.size() == SpecValidator.MAX_INLINE_FILES) {
        throw new CodeFolderException("holds more than " + SpecValidator.MAX_INLINE_FILES + " files, more than "
            + "inline code may hold: " + ELSEWHERE);
      }
      files.put(key, target);
      sizes.put(key, size);
    }

    /** The real path a link leads to, when it exists, inside the s.yaml's folder and not skipped there. */
    private Path linkTarget(Path link, String key) throws CodeFolderException {
      Path target;
      try {
        target = link.toRealPath();
      } catch (NoSuchFileException e) {
        throw new CodeFolderException("holds " + shown(key) + ", a symbolic link to nothing (" + linkText(link)
            + "): remove it, or point it at a file inside " + project);
      } catch (IOException e) {
        throw new CodeFolderException("holds " + shown(key) + ", a symbolic link that cannot be followed: "
            + IoProblem.describe(e));
      }
      if (!project.contains(target)) {
        throw new CodeFolderException("holds " + shown(key) + ", a symbolic link to " + target + ", outside "
            + project + "; convert reads code only inside it: copy the file in or remove the link");
      }
      for (Path segment : project.relativize(target)) {
        String name = segment.toString();
        if (name.startsWith(".") || name.equals("__pycache__")) {
          throw new CodeFolderException("holds " + shown(key) + ", a symbolic link to " + project.relativize(target)
              + ", which convert never reads (skipped: " + SKIPPED + "): copy what the code needs into a file");
        }
      }
      return target;
    }

    /** The folder's entries sorted by name; every entry counts towards {@link #MAX_ENTRIES}. */
    private List<Path> children(Path folder, String prefix) throws CodeFolderException {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
        for (Path child : stream) {
          if (++entries > maxEntries) {
            throw new CodeFolderException("holds more than " + maxEntries + " files and folders (skipped ones "
                + "included), far more than inline code may hold (" + SpecValidator.MAX_INLINE_FILES + " files): "
                + ELSEWHERE);
          }
          children.add(child);
        }
      } catch (IOException e) {
        String which = prefix.isEmpty() ? "" : "holds the folder " + shown(prefix.substring(0, prefix.length() - 1))
            + ", which ";
        throw new CodeFolderException(which + "cannot be listed: " + IoProblem.describe(e));
      }
      children.sort(Comparator.comparing(child -> child.getFileName().toString()));
      return children;
    }

    private static BasicFileAttributes attributes(Path path, String key, LinkOption... options)
        throws CodeFolderException {
      try {
        return Files.readAttributes(path, BasicFileAttributes.class, options);
      } catch (IOException e) {
        throw new CodeFolderException("holds " + shown(key) + ", which cannot be read: " + IoProblem.describe(e));
      }
    }

    private static String linkText(Path link) {
      try {
        return "it points at " + Files.readSymbolicLink(link);
      } catch (IOException e) {
        return "its target is gone";
      }
    }
  }

  /**
   * At most {@code limit} + 1 bytes of a file found by the walk, opened without following a link (the
   * walk resolved them all), so that a file replaced by a link since is not read.
   */
  private static byte[] bytes(String key, Path file, long limit) throws CodeFolderException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    } catch (IOException e) {
      throw new CodeFolderException("holds " + shown(key) + ", which cannot be read: " + IoProblem.describe(e));
    }
  }

  private static String text(String key, byte[] bytes) throws CodeFolderException {
    try {
      return Utf8Text.decode(bytes);
    } catch (Utf8Text.NotUtf8Exception e) {
      if (e.nulByte()) {
        throw new CodeFolderException("holds a binary file, " + shown(key) + " (a NUL byte at byte offset "
            + e.offset() + "), and inline code holds text only (UTF-8, no NUL byte): put the code in a ConfigMap "
            + "(spec.code.configMap) or an image (spec.code.image) instead, or remove the file");
      }
      throw new CodeFolderException("holds " + shown(key) + ", which is not UTF-8 text (line " + e.line() + ", column "
          + e.column() + ": " + e.getMessage() + "), and inline code holds UTF-8 text only: save it as UTF-8, or put "
          + "binary files in a ConfigMap (spec.code.configMap) or an image (spec.code.image), or remove it");
    }
  }

  private static String shown(String key) {
    return SpecValidator.shortened(key);
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
