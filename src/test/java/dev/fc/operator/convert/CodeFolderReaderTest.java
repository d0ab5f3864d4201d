package dev.fc.operator.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fc.operator.api.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeFolderReaderTest {
  @TempDir
  Path dir;

  private Path write(String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private Path write(String relative, byte[] content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  @Test
  void readsTextFilesRecursivelyWithSlashKeysSorted() throws Exception {
    write("index.py", "import lib\n");
    write("python/lib.py", "X = '😄'\n");
    write("python/deep/more.txt", "");
    Map<String, String> files = new CodeFolderReader(Set.of()).read(ProjectFolder.at(dir), ".");
    assertThat(files).containsExactly(Map.entry("index.py", "import lib\n"),
        Map.entry("python/deep/more.txt", ""), Map.entry("python/lib.py", "X = '😄'\n"));
  }

  @Test
  void skipsJunkTheSYamlAndTheOutputFolder() throws Exception {
    write("index.py", "x = 1\n");
    write(".git/HEAD", "ref: main\n");
    write(".env", "SECRET=1\n");
    write(".DS_Store", new byte[] {0, 1, 2});
    write("__pycache__/index.cpython-310.pyc", new byte[] {0, 1});
    write("old.pyc", new byte[] {0});
    write("sub/.venv/bin/python", "#!/bin/sh\n");
    Path sYaml = write("s.yaml", "edition: 3.0.0\n");
    write("k8s/emoji.yaml", "kind: FunctionInstance\n");
    Map<String, String> files = new CodeFolderReader(Set.of(sYaml, dir.resolve("k8s"))).read(ProjectFolder.at(dir), ".");
    assertThat(files).containsOnlyKeys("index.py");
  }

  @Test
  void exactlyOneMebibyteFits() throws Exception {
    write("a.txt", "a".repeat(Code.MAX_INLINE_BYTES - 4));
    write("index.py", "é\n\n");
    assertThat(new CodeFolderReader(Set.of()).read(ProjectFolder.at(dir), ".")).hasSize(2);
  }

  @Test
  void moreThanOneMebibyteSuggestsAnImageOrConfigMap() throws Exception {
    write("index.py", "x = 1\n");
    write("data/big.txt", "a".repeat(Code.MAX_INLINE_BYTES));
    assertThatThrownBy(() -> new CodeFolderReader(Set.of()).read(ProjectFolder.at(dir), "."))
        .isInstanceOf(CodeFolderException.class)
        .hasMessage("holds 1048582 bytes in 2 files (largest: data/big.txt, 1048576 bytes), more than inline code "
            + "can carry (1 MiB, 1048576 bytes): put the code in an image (spec.code.image) or a ConfigMap "
            + "(spec.code.configMap) instead");
  }

  @Test
  void aFileWithANulByteIsBinary() throws Exception {
    write("index.py", "x = 1\n");
    write("lib/native.so", new byte[] {0x7f, 'E', 'L', 'F', 0, 0});
    assertThatThrownBy(() -> new CodeFolderReader(Set.of()).read(ProjectFolder.at(dir), "."))
        .hasMessage("holds a binary file, lib/native.so (a NUL byte at byte offset 4), and inline code holds text "
            + "only (UTF-8, no NUL byte): "
            + "put the code in a ConfigMap (spec.code.configMap) or an image (spec.code.image) instead, or "
            + "remove the file");
  }

  @Test
  void aFileThatIsNotUtf8IsNamedWithLineAndColumn() throws Exception {
    write("logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n'});
    write("latin1.py", "# ok\nname = 'Z\u00fcrich'\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> new CodeFolderReader(Set.of()).read(ProjectFolder.at(dir), "."))
        .hasMessage("holds latin1.py, which is not UTF-8 text (line 2, column 10: byte offset 14 (0xfc) is not valid "
            + "UTF-8), and inline code holds UTF-8 text only: save it as UTF-8, or put binary files in a ConfigMap "
            + "(spec.code.configMap) or an image (spec.code.image), or remove it");
    Files.delete(dir.resolve("latin1.py"));
    assertThatThrownBy(() -> new CodeFolderReader(Set.of()).read(ProjectFolder.at(dir), "."))
        .hasMessageStartingWith("holds logo.png, which is not UTF-8 text (line 1, column 1: byte offset 0 (0x89)");
  }

  @Test
  void theWalkStopsAtItsBoundOfEntriesSkippedOnesIncluded() throws Exception {
    // the bound is CodeFolderReader.MAX_ENTRIES (10000); creating that many files takes seconds here
    for (int i = 0; i < 50; i++) {
      write("c" + i + ".pyc", "");
    }
    write("index.py", "x\n");
    assertThatThrownBy(() -> new CodeFolderReader(Set.of(), 50).read(ProjectFolder.at(dir), "."))
        .hasMessageStartingWith("holds more than 50 files and folders (skipped ones included)");
    assertThat(new CodeFolderReader(Set.of(), 51).read(ProjectFolder.at(dir), ".")).containsOnlyKeys("index.py");
  }

  @Test
  void aNameInlineCodeCannotUseIsNamed() throws Exception {
    write("my notes.txt", "x\n");
    assertThatThrownBy(() -> new CodeFolderReader(Set.of()).read(ProjectFolder.at(dir), "."))
        .hasMessage("holds my notes.txt, which is not a file path inline code can hold: letters, digits, '.', '_' "
            + "and '-', not starting with '.' or '-', with '/' between folders and no '..': rename, move or remove it");
  }

  @Test
  void aMissingFolderAFileAndAnEmptyFolderAreNamed() throws Exception {
    CodeFolderReader reader = new CodeFolderReader(Set.of());
    assertThatThrownBy(() -> reader.read(ProjectFolder.at(dir), "nope"))
        .hasMessage("does not exist (" + dir.resolve("nope").toAbsolutePath() + ")");
    Path zip = write("code.zip", "PK");
    assertThatThrownBy(() -> reader.read(ProjectFolder.at(dir), "code.zip"))
        .hasMessage("is a file, not a folder: unpack it into a folder, or put the code in an image (spec.code.image)");
    Files.createDirectories(dir.resolve("empty/.git"));
    assertThatThrownBy(() -> reader.read(ProjectFolder.at(dir), "empty"))
        .hasMessage("holds no files to convert (skipped: " + CodeFolderReader.SKIPPED + ")");
  }
}
