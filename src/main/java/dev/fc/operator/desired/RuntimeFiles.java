package dev.fc.operator.desired;

import dev.fc.operator.api.FcRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's runtimes' files, shipped in the jar and each listed in its folder's INDEX: the Python runtime (with
 * the custom runtimes' adapter) under {@code fc-runtime/}, the Node.js runtime under {@code fc-runtime-node/}. A
 * function's runtime ConfigMap holds one of the two sets, mounted at {@code /var/fc/runtime}.
 *
 * @param python file name to content, the Python runtime's and the adapter's
 * @param node file name to content, the Node.js runtime's
 */
public record RuntimeFiles(Map<String, String> python, Map<String, String> node) {
  public static final String RESOURCE_DIR = "fc-runtime/";
  public static final String NODE_RESOURCE_DIR = "fc-runtime-node/";
  public static final String INDEX = "INDEX";

  public RuntimeFiles {
    python = Map.copyOf(python);
    node = Map.copyOf(node);
  }

  /** The same files for every runtime: for tests of what does not depend on their content. */
  public static RuntimeFiles same(Map<String, String> files) {
    return new RuntimeFiles(files, files);
  }

  /** The files in the jar. */
  public static RuntimeFiles load() {
    return new RuntimeFiles(load(RESOURCE_DIR), load(NODE_RESOURCE_DIR));
  }

  /** The files a function of {@code runtime} mounts: the Node.js runtime's, else the Python runtime's. */
  public Map<String, String> of(FcRuntime runtime) {
    return runtime.node() ? node : python;
  }

  /** File name to content, in INDEX order. */
  static Map<String, String> load(String dir) {
    ClassLoader loader = RuntimeFiles.class.getClassLoader();
    Map<String, String> files = new LinkedHashMap<>();
    for (String line : read(loader, dir + INDEX).split("\n")) {
      String name = line.strip();
      if (!name.isEmpty() && !name.startsWith("#")) {
        files.put(name, read(loader, dir + name));
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
