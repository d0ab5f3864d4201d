package dev.fc.operator.convert;

import java.nio.file.Path;
import java.util.Map;

/** Reads a function's code folder into inline code: file path (with '/') to content. */
@FunctionalInterface
public interface CodeSource {
  Map<String, String> read(Path folder) throws CodeFolderException;
}
