package dev.fc.operator.convert;

/**
 * An s.yaml that cannot be read at all (empty, not valid YAML, a duplicate key, an alias, unreadable): one line
 * "file:line:column: ..." naming where and what. What can be read but not converted is a {@link Diagnostic} instead.
 */
public class SYamlException extends Exception {
  public SYamlException(String message) {
    super(message);
  }
}
