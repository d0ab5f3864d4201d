package dev.fc.operator.desired;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Python runtime's files, shipped in the jar under {@code fc-runtime/} and listed in its INDEX. */
public final class RuntimeFiles {
  public static final String RESOURCE_DIR = "fc-runtime/";
  public static final String INDEX = RESOURCE_DIR + "INDEX";

  private RuntimeFiles() {}

  /** File name to content, in INDEX order. */
  public static Map<String, String> load() {
    ClassLoader loader = RuntimeFiles.class.getClassLoader();
    Map<String, String> files = new LinkedHashMap<>();
    for (String line : read(loader, INDEX).split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        files.put(name, read(loader, RESOURCE_DIR + name));
      }
    }
    return Map.copyOf(files);
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the runtime resource " + resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
