package dev.fc.operator.convert;

import dev.fc.operator.input.InputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SYamlDocumentTest {
  private static final String SAMPLE = """
      edition: 3.0.0
      resources:
        hello:
          props:
            memorySize: "lots"
            ratio: 0.10
            empty:
            list:
              - a
              - b: 1
      """;

  @Test
  void keepsTheLineAndColumnOfEveryKeyAndValue() throws InputException {
    SYamlDocument doc = SYamlDocument.parse("s.yaml", SAMPLE);
    PropPath memory = PropPath.of("resources", "hello", "props", "memorySize");
    assertThat(doc.keyLocation(memory)).isEqualTo(new Location(5, 7));
    assertThat(doc.valueLocation(memory)).isEqualTo(new Location(5, 19));
    assertThat(doc.keyLocation(PropPath.of("resources", "hello", "props", "list").item(1).child("b")))
        .isEqualTo(new Location(10, 11));
    assertThat(doc.node(PropPath.of("resources", "hello", "props", "list").item(0)).asText()).isEqualTo("a");
  }

  @Test
  void aMissingPathIsPlacedAtItsNearestWrittenAncestor() throws InputException {
    SYamlDocument doc = SYamlDocument.parse("s.yaml", SAMPLE);
    assertThat(doc.keyLocation(PropPath.of("resources", "hello", "props", "handler")))
        .isEqualTo(new Location(4, 5));
    assertThat(doc.keyLocation(PropPath.of("nowhere"))).isEqualTo(Location.START);
  }

  @Test
  void scalarsKeepTheirWrittenTextAndEmptyValuesAreNull() throws InputException {
    SYamlDocument doc = SYamlDocument.parse("s.yaml", SAMPLE);
    assertThat(doc.node(PropPath.of("resources", "hello", "props", "ratio")).asText()).isEqualTo("0.10");
    assertThat(doc.node(PropPath.of("resources", "hello", "props", "empty")).isNull()).isTrue();
    assertThat(doc.hasMoreDocuments()).isFalse();
  }

  @Test
  void theFcDocsSampleNamesTheLineIndentedAtTheWrongLevel() throws Exception {
    Path file = Path.of("src/test/resources/convert/docs-sample/s.yaml");
    assertThatThrownBy(() -> SYamlDocument.parse(file.toString(), Files.readString(file)))
        .isInstanceOf(InputException.class)
        .hasMessage("src/test/resources/convert/docs-sample/s.yaml:24:7: not valid YAML: line 24 is indented to "
            + "column 7, which fits no open block after line 22 (column 1): a line is indented at the wrong level");
  }

  @Test
  void aKeyIndentedDeeperThanItsSiblingsIsASyntaxError() {
    assertThatThrownBy(() -> SYamlDocument.parse("s.yaml", "props:\n  handler: index.handler\n    timeout: 3\n"))
        .hasMessage("s.yaml:3:12: not valid YAML: ':' is not allowed here: is the line indented at the wrong "
            + "level, or does a value holding ': ' need quotes?");
  }

  @Test
  void tabsAreNamed() {
    assertThatThrownBy(() -> SYamlDocument.parse("s.yaml", "props:\n\thandler: index.handler\n"))
        .hasMessage("s.yaml:2:1: not valid YAML: a tab indents this line: YAML indents with spaces only");
  }

  @Test
  void otherSyntaxErrorsKeepTheParsersWords() {
    assertThatThrownBy(() -> SYamlDocument.parse("s.yaml", "a: \"open\nb: 1\n"))
        .hasMessage("s.yaml:3:1: not valid YAML: found unexpected end of stream (while scanning a quoted scalar "
            + "that starts at line 1, column 4)");
  }

  @Test
  void aKeyWrittenTwiceIsAnError() {
    assertThatThrownBy(() -> SYamlDocument.parse("s.yaml", "props:\n  timeout: 3\n  timeout: 4\n"))
        .hasMessage("s.yaml:3:3: props.timeout is written twice (first on line 2): keep one");
  }

  @Test
  void aliasesAreRefusedRatherThanReadAsText() {
    assertThatThrownBy(() -> SYamlDocument.parse("s.yaml", "a: &env\n  K: v\nb: *env\n"))
        .hasMessage("s.yaml:3:4: b: the alias *env is not supported by convert: write the value out in full");
  }

  @Test
  void anEmptyFileIsAnError() {
    assertThatThrownBy(() -> SYamlDocument.parse("s.yaml", "# nothing\n"))
        .hasMessage("s.yaml:1:1: is empty: expected an s.yaml with edition, vars and resources");
  }

  @Test
  void onlyTheFirstDocumentIsRead() throws InputException {
    SYamlDocument doc = SYamlDocument.parse("s.yaml", "a: 1\n---\nb: 2\n");
    assertThat(doc.root().has("b")).isFalse();
    assertThat(doc.hasMoreDocuments()).isTrue();
  }
}
