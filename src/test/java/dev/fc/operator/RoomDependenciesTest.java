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

/**
 * The arrows between the packages ("rooms") of main code, read from the imports: each room may import only the
 * rooms docs/architecture.md draws below it, and a room the map does not know fails too.
 */
class RoomDependenciesTest {
  private static final Path MAIN = Path.of("src/main/java/dev/fc/operator");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?dev\\.fc\\.operator\\.(\\w+)\\.");

  /** Each room, and the rooms it may import; the same as the picture in docs/architecture.md. */
  static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("api", Set.of()),
      Map.entry("input", Set.of()),
      Map.entry("contract", Set.of("api")),
      Map.entry("elastic", Set.of("api")),
      Map.entry("desired", Set.of("api", "contract")),
      Map.entry("validation", Set.of("api", "contract", "desired")),
      Map.entry("reconciler", Set.of("api", "contract", "desired", "elastic", "validation")),
      Map.entry("manager", Set.of("api", "desired", "elastic", "reconciler")),
      Map.entry("manifest", Set.of("api", "input", "validation")),
      Map.entry("convert", Set.of("api", "desired", "input", "validation")),
      Map.entry("local", Set.of("contract", "desired")),
      Map.entry("gateway", Set.of("api", "contract", "desired", "elastic", "reconciler")),
      Map.entry("cli", Set.of("api", "contract", "convert", "desired", "gateway", "input", "local", "manager",
          "manifest", "validation")));

  @Test
  void noRoomImportsARoomItMayNotUse() throws IOException {
    Set<String> found = new TreeSet<>();
    try (Stream<Path> rooms = Files.list(MAIN)) {
      for (Path room : rooms.filter(Files::isDirectory).toList()) {
        String name = room.getFileName().toString();
        Set<String> allowed = ALLOWED.get(name);
        if (allowed == null) {
          found.add(name + "/ is not in the map: add it here and to docs/architecture.md");
          continue;
        }
        try (Stream<Path> files = Files.walk(room)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            IMPORT.matcher(Files.readString(file)).results().map(m -> m.group(1))
                .filter(target -> !target.equals(name) && !allowed.contains(target))
                .forEach(target -> found.add(MAIN.relativize(file) + " imports " + target + "/"));
          }
        }
      }
    }
    assertThat(found).as("imports between rooms that the map does not allow").isEmpty();
  }

  @Test
  void thePictureInTheArchitecturePageHasTheSameArrows() throws IOException {
    String page = Files.readString(Path.of("docs/architecture.md"));
    Set<String> drawn = new TreeSet<>();
    Pattern line = Pattern.compile("(?m)^  (\\w+) --> ([\\w &]+)$");
    line.matcher(page).results().forEach(m -> {
      for (String target : m.group(2).split("&")) {
        drawn.add(m.group(1) + " -> " + target.strip());
      }
    });
    Set<String> allowed = new TreeSet<>();
    ALLOWED.forEach((room, targets) -> targets.forEach(t -> allowed.add(room + " -> " + t)));
    assertThat(drawn).isEqualTo(allowed);
  }
}
