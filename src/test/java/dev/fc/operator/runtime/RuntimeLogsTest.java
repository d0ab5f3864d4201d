package dev.fc.operator.runtime;

import static dev.fc.operator.runtime.RuntimeProcess.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Python code's own output looks like: its print()s as they are, and context.get_logger()'s lines as FC
 * writes them (UTC time, the request id, the level), between FC's Start and End lines of the hook or invocation
 * that made them. FC's lines themselves, exactly, are the contract's ({@link ContractConformanceTest}).
 */
class RuntimeLogsTest {

  static final String ID = "(" + RuntimeProcess.UUID.pattern() + ")";
  static final String STAMP = "(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})";

  @TempDir Path tmp;

  @Test
  void printsAndTheLoggersLinesComeBetweenTheirHooksAndInvocationsFcLines() throws Exception {
    try (RuntimeProcess rt =
        RuntimeProcess.start(tmp, env("FC_FUNCTION_HANDLER", "handlers.logs",
            "FC_INITIALIZER_HANDLER", "hooks.init_ok", "FC_PRESTOP_HANDLER", "hooks.pre_stop_ok"))) {
      rt.awaitStartup();
      rt.invoke("event-1", "x-fc-request-id", "1-65e59b07-1520da26-bf73bbb91b69");
      rt.sigterm();
      assertThat(rt.awaitExit()).isZero();

      List<String> lines = rt.lines();
      assertThat(lines).hasSize(12);
      String init = group(lines.get(0), "FC Initialize Start RequestId: " + ID);
      assertThat(lines.get(1)).isEqualTo("initializer printed");
      assertUtcNow(group(lines.get(2), STAMP + " " + init + " \\[info\\] initializer logged"));

      String rid = "1-65e59b07-1520da26-bf73bbb91b69";
      assertThat(lines.get(5)).isEqualTo("handler printed");
      assertUtcNow(group(lines.get(6), STAMP + " " + Pattern.quote(rid) + " \\[info\\] handler logged event-1"));

      String stop = group(lines.get(8), "FC PreStop Start RequestId: " + ID);
      assertThat(lines.get(9)).isEqualTo("pre_stop printed");
      assertUtcNow(group(lines.get(10), STAMP + " " + stop + " \\[info\\] pre_stop logged"));
      assertThat(List.of(lines.get(3), lines.get(4), lines.get(7), lines.get(11))).as("FC's lines around them")
          .containsExactly("FC Initialize End RequestId: " + init, "FC Invoke Start RequestId: " + rid,
              "FC Invoke End RequestId: " + rid, "FC PreStop End RequestId: " + stop);
    }
  }

  /** The first group of a regex that must match the whole line. */
  private static String group(String line, String regex) {
    Matcher m = Pattern.compile(regex).matcher(line);
    assertThat(m.matches()).as("%s matches %s", line, regex).isTrue();
    return m.group(1);
  }

  private static void assertUtcNow(String stamp) {
    LocalDateTime t = LocalDateTime.parse(stamp, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    assertThat(Duration.between(t, now).abs()).isLessThan(Duration.ofMinutes(1));
  }
}
