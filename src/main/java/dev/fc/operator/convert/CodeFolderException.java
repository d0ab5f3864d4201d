package dev.fc.operator.convert;

/** A code folder inline code cannot carry; the message completes "the folder X, which ...". */
public class CodeFolderException extends Exception {
  public CodeFolderException(String message) {
    super(message);
  }
}
