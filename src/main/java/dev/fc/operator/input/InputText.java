package dev.fc.operator.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an input file (a FunctionInstance file, an s.yaml) as UTF-8 text, at most {@link #MAX_BYTES}:
 * an endless input (/dev/zero, a pipe) or a huge file must end with a message, not with the heap full.
 * Text that is not UTF-8 is placed at the line and column of its first bad byte.
 */
public final class InputText {
  /** Well above what a valid file holds (inline code is at most 1 MiB). */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  private InputText() {}

  /** A FunctionInstance file. */
  public static String read(Path file) throws InputException {
    return read(file, "the most a FunctionInstance file may hold: put large code in a ConfigMap or an image");
  }

  /**
   * @param tooLarge what the message says after "is larger than 8 MiB (...)," when the file is: the
   *     limit's reason and the fix
   */
  public static String read(Path file, String tooLarge) throws InputException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + IoProblem.describe(e));
    }
    if (bytes.length > MAX_BYTES) {
      throw new InputException(file + ": is larger than 8 MiB (" + MAX_BYTES + " bytes; nothing beyond was read), "
          + tooLarge);
    }
    try {
      return Utf8Text.decode(bytes);
    } catch (Utf8Text.NotUtf8Exception e) {
      throw new InputException(file + ":" + e.line() + ":" + e.column() + ": is not UTF-8 text: " + e.getMessage()
          + "; save the file as UTF-8");
    }
  }

  /**
   * Refuses the first line longer than {@code maxChars}, at its line and the column past the bound, before a YAML
   * parser reads it: the parser copies the line it reads again for every 1 Ki characters, so one long line costs
   * time and memory that grow with its square (a 4 Mi line: 10 s, 880 MB).
   *
   * @param limit the bound as the message says it after the number, e.g. "(64 Ki) convert reads"
   * @param fix what to write instead
   */
  public static void refuseLongLines(String file, String text, int maxChars, String limit, String fix)
      throws InputException {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - start > maxChars) {
          throw new InputException(file + ":" + line + ":" + (maxChars + 1) + ": line " + line + " holds "
              + (i - start) + " characters, more than the " + maxChars + " " + limit + " on one line: " + fix);
        }
        line++;
        start = i + 1;
      }
    }
  }
}
