package dev.fc.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's modules tested one by one in Python ({@code src/test/python/test_*.py}, {@code python3 -m
 * unittest}), without a process per case; run here so that {@code ./mvnw verify} runs them.
 */
class PythonUnitTestsTest {
  private static final Path TESTS = Path.of("src/test/python");
  private static final Pattern RAN = Pattern.compile("^Ran (\\d+) tests? in ", Pattern.MULTILINE);

  @Test
  void theRuntimesPythonUnitTestsPass(@TempDir Path tmp) throws IOException, InterruptedException {
    Path log = tmp.resolve("unittest.log");
    ProcessBuilder pb = new ProcessBuilder("python3", "-B", "-m", "unittest", "discover", "-p", "test_*.py", "-v")
        .directory(TESTS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process python = pb.start();
    boolean ended = python.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      python.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(ended).as("python3 -m unittest ended within 60 s: " + output).isTrue();
    assertThat(python.exitValue()).as(output).isZero();
    Matcher ran = RAN.matcher(output);
    assertThat(ran.find()).as(output).isTrue();
    assertThat(Integer.parseInt(ran.group(1))).as("tests found: " + output).isGreaterThanOrEqualTo(17);
  }
}
