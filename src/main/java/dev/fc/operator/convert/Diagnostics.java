package dev.fc.operator.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fc.operator.convert.Diagnostic.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the warnings and errors of one conversion, placing each at its path in the s.yaml. */
final class Diagnostics {
  private static final Comparator<Diagnostic> BY_PLACE = Comparator
      .comparingInt((Diagnostic d) -> d.location().line()).thenComparingInt(d -> d.location().column());

  private final SYamlDocument document;
  private final List<Diagnostic> warnings = new ArrayList<>();
  private final List<Diagnostic> errors = new ArrayList<>();

  Diagnostics(SYamlDocument document) {
    this.document = document;
  }

  /** A warning on the line of the key at {@code path}: "path message". */
  void warn(PropPath path, String message) {
    warnings.add(new Diagnostic(Severity.WARNING, document.file(), document.keyLocation(path),
        text(path, message)));
  }

  /**
   * An error "path message" at the value written at {@code path} (the value is what is wrong) when it is
   * a scalar or starts on the key's line; at the key otherwise (a block mapping, or a missing key's parent).
   */
  void error(PropPath path, String message) {
    JsonNode node = document.node(path);
    Location key = document.keyLocation(path);
    Location value = document.valueLocation(path);
    boolean atValue = !node.isMissingNode() && (node.isValueNode() || value.line() == key.line());
    errors.add(new Diagnostic(Severity.ERROR, document.file(), atValue ? value : key, text(path, message)));
  }

  /** An error "path message" at the key written at {@code path}: the name is what is wrong. */
  void errorAtKey(PropPath path, String message) {
    errors.add(new Diagnostic(Severity.ERROR, document.file(), document.keyLocation(path), text(path, message)));
  }

  int errorCount() {
    return errors.size();
  }

  /** Warnings in file order. */
  List<Diagnostic> warnings() {
    return warnings.stream().sorted(BY_PLACE).toList();
  }

  /** Errors in file order. */
  List<Diagnostic> errors() {
    return errors.stream().sorted(BY_PLACE).toList();
  }

  private static String text(PropPath path, String message) {
    return path.isRoot() ? message : path + " " + message;
  }
}
