package dev.fc.operator.input;

/** Bad input from the user: a one-line message naming the file, the field and what is allowed. */
public class InputException extends Exception {
  public InputException(String message) {
    super(message);
  }
}
