package dev.fc.operator.convert;

import java.util.List;

/** What converting an s.yaml gave: the functions, and warnings and errors in file order. */
public record ConversionResult(List<ConvertedFunction> functions, List<Diagnostic> warnings,
    List<Diagnostic> errors) {
  public ConversionResult {
    functions = List.copyOf(functions);
    warnings = List.copyOf(warnings);
    errors = List.copyOf(errors);
  }

  /** No errors: the functions can be written. */
  public boolean ok() {
    return errors.isEmpty();
  }
}
