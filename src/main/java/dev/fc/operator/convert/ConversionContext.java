package dev.fc.operator.convert;

import java.nio.file.Path;

/** What the mappers share while converting one s.yaml. */
record ConversionContext(SYamlDocument document, Diagnostics diagnostics, VariableResolver variables,
    CodeSource codeReader, Path baseDir) {
}
