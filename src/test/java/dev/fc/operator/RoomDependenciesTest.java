package dev.fc.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The arrows between the packages ("rooms") of main code that must not exist, read from the imports. */
class RoomDependenciesTest {
  private static final Path MAIN = Path.of("src/main/java/dev/fc/operator");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?dev\\.fc\\.operator\\.(\\w+)\\.");

  /** Each room, and the rooms it may not import. */
  private static final Map<String, Set<String>> FORBIDDEN = Map.of(
      "contract", Set.of("desired", "reconciler", "local", "cli", "convert", "operator", "validation"),
      "convert", Set.of("cli", "local", "reconciler", "operator"),
      "desired", Set.of("reconciler", "local", "cli", "convert", "operator"),
      "local", Set.of("reconciler", "cli", "operator"),
      "input", Set.of("api", "contract", "desired", "validation", "reconciler", "local", "cli", "convert", "operator"));

  @Test
  void noRoomImportsARoomAboveIt() throws IOException {
    Set<String> found = new TreeSet<>();
    for (var room : FORBIDDEN.entrySet()) {
      try (Stream<Path> files = Files.walk(MAIN.resolve(room.getKey()))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          IMPORT.matcher(Files.readString(file)).results().map(m -> m.group(1))
              .filter(room.getValue()::contains)
              .forEach(target -> found.add(MAIN.relativize(file) + " imports " + target + "/"));
        }
      }
    }
    assertThat(found).as("imports that climb back up").isEmpty();
  }
}
