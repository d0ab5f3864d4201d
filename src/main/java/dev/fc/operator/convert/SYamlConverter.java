package dev.fc.operator.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fc.operator.input.InputException;
import dev.fc.operator.validation.SpecValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Converts an s.yaml into FunctionInstances: fc3 ({@code edition: 3.0.0}, {@code resources.<name>} with
 * {@code component: fc3}) or fc2 ({@code edition: 1.0.0}, {@code services.<name>} with
 * {@code component: devsapp/fc} or {@code fc}). The environment and the file system come in from outside.
 */
public final class SYamlConverter {
  private final Function<String, String> environment;
  private final CodeSource codeReader;

  /**
   * @param environment environment variable name to value (null when unset), for {@code ${env.X}}
   * @param codeReader reads the code folders (a {@link CodeFolderReader})
   */
  public SYamlConverter(Function<String, String> environment, CodeSource codeReader) {
    this.environment = environment;
    this.codeReader = codeReader;
  }

  /**
   * Converts {@code text}, read from {@code file} (which names it in messages; code folders are relative
   * to its folder).
   *
   * @throws InputException when the text is not valid YAML
   */
  public ConversionResult convert(Path file, String text) throws InputException {
    SYamlDocument document = SYamlDocument.parse(file.toString(), text);
    Diagnostics diagnostics = new Diagnostics(document);
    List<ConvertedFunction> functions = new ArrayList<>();
    if (!document.root().isObject()) {
      diagnostics.error(PropPath.ROOT, "an s.yaml must be a mapping with edition, vars and resources");
      return new ConversionResult(functions, diagnostics.warnings(), diagnostics.errors());
    }
    if (document.hasMoreDocuments()) {
      diagnostics.warn(PropPath.ROOT, "the file holds more than one YAML document; only the first is converted");
    }
    VariableResolver variables = new VariableResolver(document.root().path("vars"), environment);
    ConversionContext context = new ConversionContext(document, diagnostics, variables, codeReader,
        ProjectFolder.of(file));
    try {
      convert(context, functions);
    } catch (VariableException e) {
      diagnostics.error(e.path(), e.getMessage());
      functions.clear();
    }
    return new ConversionResult(functions, diagnostics.warnings(), diagnostics.errors());
  }

  private static void convert(ConversionContext context, List<ConvertedFunction> functions) {
    Diagnostics diagnostics = context.diagnostics();
    MappingReader top = new MappingReader((ObjectNode) context.document().root(), PropPath.ROOT, context, false);
    top.skip("vars");
    PropPath editionPath = PropPath.of("edition");
    Optional<String> edition = top.text("edition");
    if (edition.isEmpty()) {
      diagnostics.error(editionPath, "is required: 3.0.0 for fc3 resources or 1.0.0 for fc2 services");
    } else if (edition.get().equals("3.0.0")) {
      top.mapping("resources").ifPresent(resources -> each(resources, "fc3", context, functions));
    } else if (edition.get().equals("1.0.0")) {
      top.mapping("services").ifPresent(services -> each(services, "fc", context, functions));
    } else {
      diagnostics.error(editionPath, "must be 3.0.0 (fc3) or 1.0.0 (fc2), got "
          + SpecValidator.shown(edition.get()));
    }
    top.warnUnhandled();
    checkNamesUnique(functions, diagnostics);
    if (functions.isEmpty() && diagnostics.errorCount() == 0) {
      diagnostics.error(PropPath.ROOT, "holds no function to convert: expected resources with component fc3 "
          + "(edition 3.0.0) or services with component devsapp/fc (edition 1.0.0)");
    }
  }

  /** Every resource (fc3) or service (fc2) whose component is {@code component}. */
  private static void each(MappingReader resources, String component, ConversionContext context,
      List<ConvertedFunction> functions) {
    for (String name : resources.keys()) {
      PropPath origin = resources.path(name);
      Optional<MappingReader> resource = resources.mapping(name);
      if (resource.isEmpty()) {
        continue;
      }
      MappingReader r = resource.get();
      Optional<String> written = r.text("component");
      if (written.isEmpty()) {
        context.diagnostics().warn(origin, "has no component; skipped");
        continue;
      }
      if (!component.equals(componentName(written.get()))) {
        context.diagnostics().warn(origin, "is a " + SpecValidator.shown(written.get()) + " component, not " + component
            + "; skipped");
        continue;
      }
      Optional<MappingReader> props = r.mapping("props");
      r.warnUnhandled();
      if (props.isEmpty()) {
        context.diagnostics().error(r.path("props"), "is required: the function's settings");
        continue;
      }
      Optional<ConvertedFunction> function = component.equals("fc3")
          ? Fc3PropsMapper.map(props.get(), name, origin, context)
          : Fc2PropsMapper.map(props.get(), name, origin, context);
      function.ifPresent(functions::add);
    }
  }

  /** {@code devsapp/fc3@0.1.0} is {@code fc3}. */
  static String componentName(String component) {
    String name = component.strip();
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
    }
    return name.startsWith("devsapp/") ? name.substring("devsapp/".length()) : name;
  }

  private static void checkNamesUnique(List<ConvertedFunction> functions, Diagnostics diagnostics) {
    Map<String, ConvertedFunction> byName = new HashMap<>();
    for (var it = functions.iterator(); it.hasNext(); ) {
      ConvertedFunction function = it.next();
      ConvertedFunction first = byName.putIfAbsent(function.name(), function);
      if (first != null) {
        diagnostics.error(function.namePath(), "gives the name \"" + function.name() + "\", which " + first.origin()
            + " already has: names must be unique");
        it.remove();
      }
    }
  }
}
