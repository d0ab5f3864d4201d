package dev.fc.operator.convert;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Turns a YAML syntax error into one line "file:line:column: not valid YAML: ..." a person can act on. */
final class YamlSyntaxError {
  /** SnakeYAML's "The incoming YAML document exceeds the limit: 3145728 code points." */
  private static final Pattern CODE_POINT_LIMIT = Pattern.compile("exceeds the limit: (\\d+) code points");
  /** YAML's bound on a key written on one line without {@code ? }: longer, its ':' is not seen as one. */
  static final int MAX_KEY_CHARS = 1024;

  private YamlSyntaxError() {}

  static String describe(String file, String text, StreamReadException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      int line = mark.getLine() + 1;
      int column = mark.getColumn() + 1;
      return file + ":" + line + ":" + column + ": not valid YAML: " + explain(marked, text.lines().toList(), line,
          column);
    }
    JsonLocation at = e.getLocation();
    String where = at == null || at.getLineNr() < 1 ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
    String message = e.getOriginalMessage().lines().findFirst().orElse("");
    Matcher tooLong = CODE_POINT_LIMIT.matcher(message);
    if (tooLong.find()) {
      return file + where + ": not valid YAML: the document holds more than " + tooLong.group(1) + " characters, the "
          + "most the YAML reader takes: is a value this large needed?";
    }
    return file + where + ": not valid YAML: " + message;
  }

  private static String explain(MarkedYAMLException e, List<String> lines, int line, int column) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    int keyLength = keyLength(lines, line, column);
    if (keyLength > MAX_KEY_CHARS && text(lines, line).startsWith(":", column - 1)) {
      return "the key before this ':' holds " + keyLength + " characters; YAML reads a key of at most "
          + MAX_KEY_CHARS + " on one line: shorten it";
    }
    if (problem.startsWith("expected <block end>")) {
      return "line " + line + " is indented to column " + column + ", which fits no open block"
          + previousLine(lines, line) + ": a line is indented at the wrong level";
    }
    if (problem.startsWith("mapping values are not allowed here")) {
      return "':' is not allowed here: is the line indented at the wrong level, or does a value holding ': ' "
          + "need quotes?";
    }
    if (problem.contains("\\t(TAB)") || problem.contains("\t")) {
      return "a tab indents this line: YAML indents with spaces only";
    }
    Mark context = e.getContextMark();
    return problem + (e.getContext() == null || context == null ? ""
        : " (" + e.getContext() + " that starts at line " + (context.getLine() + 1) + ", column "
            + (context.getColumn() + 1) + ")");
  }

  /** The characters of the key that ends at {@code column}: from the line's indent, '{' or ", " on. */
  private static int keyLength(List<String> lines, int line, int column) {
    String text = text(lines, line);
    String before = text.substring(0, Math.min(text.length(), Math.max(0, column - 1)));
    int start = Math.max(before.length() - before.stripLeading().length(),
        Math.max(before.lastIndexOf('{') + 1, before.lastIndexOf(", ") + 2));
    return before.substring(Math.min(start, before.length())).strip().length();
  }

  private static String text(List<String> lines, int line) {
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }

  /** " after line 22 (column 1)": the nearest line above with content, when there is one. */
  private static String previousLine(List<String> lines, int line) {
    for (int i = Math.min(line - 1, lines.size()) - 1; i >= 0; i--) {
      String text = lines.get(i);
      String content = text.strip();
      if (!content.isEmpty() && !content.startsWith("#")) {
        int indent = text.length() - text.stripLeading().length();
        return " after line " + (i + 1) + " (column " + (indent + 1) + ")";
      }
    }
    return "";
  }
}
