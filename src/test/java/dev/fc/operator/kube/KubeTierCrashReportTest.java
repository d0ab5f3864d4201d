package dev.fc.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dead component's report shows why it died, not only its goroutine dump's end. */
class KubeTierCrashReportTest {
  @TempDir
  Path dir;

  @Test
  void aGoPanicIsShownFromItsFirstLineWithTheLinesBeforeIt() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add("I1203 kubelet.go:1 line " + i);
    }
    lines.add("panic: runtime error: invalid memory address or nil pointer dereference");
    lines.add("[signal SIGSEGV: segmentation violation]");
    for (int i = 0; i < 500; i++) {
      lines.add("goroutine " + i + " [running]:");
    }
    Path log = Files.write(dir.resolve("kubemark.log"), lines);

    String report = KubeTier.crashReport(log);

    assertThat(report).contains("panic: runtime error", "[signal SIGSEGV", "line 199")
        .doesNotContain("line 190").doesNotContain("goroutine 499");
  }

  @Test
  void aFatalErrorCountsAsAPanic() throws IOException {
    Path log = Files.write(dir.resolve("kubemark.log"),
        List.of("I1203 start", "fatal error: concurrent map writes", "goroutine 1 [running]:"));

    assertThat(KubeTier.crashReport(log)).contains("fatal error: concurrent map writes", "I1203 start");
  }

  @Test
  void withoutAPanicTheLastLinesAreShown() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add("E1203 line " + i);
    }
    Path log = Files.write(dir.resolve("etcd.log"), lines);

    assertThat(KubeTier.crashReport(log)).contains("line 99", "lines 61-100 of 100").doesNotContain("line 59\n");
  }

  @Test
  void aMissingLogIsSaidSo() {
    assertThat(KubeTier.crashReport(dir.resolve("absent.log"))).contains("unreadable", "absent.log");
  }
}
