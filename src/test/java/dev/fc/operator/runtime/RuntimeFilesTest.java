package dev.fc.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RuntimeFilesTest {

  /** The Java side mounts exactly the files INDEX lists, so it must list every file of the runtime. */
  @Test
  void indexListsEveryRuntimeFile() throws Exception {
    List<String> index = Files.readAllLines(RuntimeProcess.RUNTIME_DIR.resolve("INDEX")).stream()
        .map(String::strip).filter(l -> !l.isEmpty()).toList();
    try (Stream<Path> files = Files.list(RuntimeProcess.RUNTIME_DIR)) {
      List<String> present = files.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("INDEX")).toList();
      assertThat(index).doesNotHaveDuplicates().contains("bootstrap.py").containsExactlyInAnyOrderElementsOf(present);
    }
    assertThat(index).allMatch(n -> n.matches("[A-Za-z0-9_.-]+"));
  }
}
