package dev.fc.operator.convert;

/** A place in the s.yaml, 1-based, as editors number lines and columns. */
public record Location(int line, int column) {
  public static final Location START = new Location(1, 1);
}
