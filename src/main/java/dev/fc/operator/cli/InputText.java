package dev.fc.operator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a YAML file as UTF-8 text, at most {@link #MAX_BYTES}: an endless input (/dev/zero, a pipe)
 * or a huge file must end with a message, not with the heap full.
 */
public final class InputText {
  /** Well above what a valid file holds (inline code is at most 1 MiB). */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  private InputText() {}

  public static String read(Path file) throws InputException {
    byte[] bytes = bytes(file);
    if (bytes.length > MAX_BYTES) {
      throw new InputException(file + ": is larger than 8 MiB (" + MAX_BYTES + " bytes), the most a "
          + "FunctionInstance file may hold: put large code in a ConfigMap or an image");
    }
    return decode(file, bytes);
  }

  /**
   * The file's first {@link #MAX_BYTES} + 1 bytes: more than {@link #MAX_BYTES} means the file is too
   * large, and nothing beyond is read.
   */
  public static byte[] bytes(Path file) throws InputException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static String decode(Path file, byte[] bytes) throws InputException {
    try {
      return Utf8Text.decode(bytes);
    } catch (Utf8Text.NotUtf8Exception e) {
      throw new InputException(file + ": is not UTF-8 text: " + e.getMessage() + "; save the file as UTF-8");
    }
  }
}
