package dev.fc.operator.convert;

/** What the mappers share while converting one s.yaml. */
record ConversionContext(SYamlDocument document, Diagnostics diagnostics, VariableResolver variables,
    CodeSource codeReader, ProjectFolder project) {
}
