package dev.fc.operator.input;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes bytes that must be UTF-8 text without a NUL byte, and says where they are not: the byte
 * offset, and the line and column (1-based, in characters) an editor shows for it.
 */
public final class Utf8Text {
  private Utf8Text() {}

  /** Where and why bytes are not UTF-8 text. */
  public static final class NotUtf8Exception extends Exception {
    private final int offset;
    private final int line;
    private final int column;
    private final boolean nulByte;

    NotUtf8Exception(int offset, int line, int column, boolean nulByte, String why) {
      super(why);
      this.offset = offset;
      this.line = line;
      this.column = column;
      this.nulByte = nulByte;
    }

    /** Whether the bytes are valid UTF-8 but hold a NUL byte (a binary file, or UTF-16). */
    public boolean nulByte() {
      return nulByte;
    }

    /** The first byte that is not text, from 0. */
    public int offset() {
      return offset;
    }

    /** The line of that byte, from 1. */
    public int line() {
      return line;
    }

    /** Its column in characters, from 1. */
    public int column() {
      return column;
    }
  }

  public static String decode(byte[] bytes) throws NotUtf8Exception {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      throw problem(out.flip().toString(), offset, false, "byte offset " + offset + " (0x"
          + String.format("%02x", bytes[offset] & 0xff) + ") is not valid UTF-8" + utf16Hint(bytes, offset));
    }
    decoder.flush(out);
    String text = out.flip().toString();
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      String before = text.substring(0, nul);
      // UTF-16 text of ASCII characters decodes as UTF-8 with a NUL in every other byte
      throw problem(before, before.getBytes(StandardCharsets.UTF_8).length, true, "byte offset "
          + before.getBytes(StandardCharsets.UTF_8).length + " holds a NUL byte (a binary or UTF-16 file?)");
    }
    return text;
  }

  /** The line and column just after {@code before}, the text decoded up to the faulty byte. */
  private static NotUtf8Exception problem(String before, int offset, boolean nulByte, String why) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < before.length(); i++) {
      if (before.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = before.codePointCount(lineStart, before.length()) + 1;
    return new NotUtf8Exception(offset, line, column, nulByte, why);
  }

  private static String utf16Hint(byte[] bytes, int offset) {
    boolean bom = bytes.length >= 2 && ((bytes[0] == (byte) 0xff && bytes[1] == (byte) 0xfe)
        || (bytes[0] == (byte) 0xfe && bytes[1] == (byte) 0xff));
    return offset == 0 && bom ? ", a UTF-16 byte-order mark" : "";
  }
}
