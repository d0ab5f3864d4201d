package dev.fc.operator.convert;

import java.util.Map;

/** Reads a function's code folder into inline code: file path (with '/') to content. */
@FunctionalInterface
public interface CodeSource {
  /**
   * @param project the s.yaml's folder, which nothing read may leave
   * @param written the folder as the s.yaml names it (after variables are filled in), relative to {@code project}
   * @throws CodeFolderException with a message that completes "the folder X, which ..."
   */
  Map<String, String> read(ProjectFolder project, String written) throws CodeFolderException;
}
