package dev.fc.operator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw new InputException(file + ": is larger than 8 MiB (" + MAX_BYTES + " bytes), the most a "
          + "FunctionInstance file may hold: put large code in a ConfigMap or an image");
    }
    return decode(file, bytes);
  }

  private static String decode(Path file, byte[] bytes) throws InputException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new InputException(file + ": is not UTF-8 text: byte offset " + in.position()
          + " (0x" + String.format("%02x", bytes[in.position()] & 0xff) + ") is not valid UTF-8; "
          + "save the file as UTF-8");
    }
    decoder.flush(out);
    String text = out.flip().toString();
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      // UTF-16 text of ASCII characters decodes as UTF-8 with a NUL in every other byte
      throw new InputException(file + ": is not UTF-8 text: byte offset "
          + text.substring(0, nul).getBytes(StandardCharsets.UTF_8).length + " holds a NUL byte "
          + "(a binary or UTF-16 file?); save the file as UTF-8");
    }
    return text;
  }
}
