package dev.fc.operator.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** What a file that is neither a regular file nor a folder is, in a person's words ("a FIFO (named pipe)"). */
final class SpecialFile {
  private static final int TYPE_BITS = 0170000;
  private static final int FIFO = 0010000;
  private static final int CHARACTER_DEVICE = 0020000;
  private static final int BLOCK_DEVICE = 0060000;
  private static final int SOCKET = 0140000;

  private SpecialFile() {}

  /** "a FIFO (named pipe)", "a socket", "a device", ..., from the file's Unix mode where there is one. */
  static String kind(Path path) {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return "a special file";
    }
    return switch (mode & TYPE_BITS) {
      case FIFO -> "a FIFO (named pipe)";
      case SOCKET -> "a socket";
      case CHARACTER_DEVICE -> "a character device";
      case BLOCK_DEVICE -> "a block device";
      default -> "a special file";
    };
  }
}
