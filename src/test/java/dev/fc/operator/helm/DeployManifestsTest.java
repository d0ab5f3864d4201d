package dev.fc.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ is what {@code kubectl apply -f crds/ && kubectl apply -f deploy/} installs: the namespace, then
 * the chart rendered with its default values as release fc-operator in namespace fc-system.
 */
class DeployManifestsTest {
  static final Path DEPLOY = Path.of("deploy");
  static final Path RENDERED = DEPLOY.resolve("fc-operator.yaml");
  static final Path NAMESPACE_FILE = DEPLOY.resolve("00-namespace.yaml");
  /** Where this test leaves the current rendering, for copying over deploy/fc-operator.yaml. */
  static final Path EXPECTED = Path.of("target/deploy/fc-operator.yaml");

  @Test
  void renderedManifestsAreTheChartWithDefaultValues() throws IOException {
    String rendering = ChartRenderer.renderText();
    Files.createDirectories(EXPECTED.getParent());
    Files.writeString(EXPECTED, rendering);
    String committed = Files.readString(RENDERED);
    if (!committed.equals(rendering)) {
      fail("%s is out of date with helm/fc-operator (first difference at line %d). The chart's rendering "
              + "(helm template %s helm/fc-operator --namespace %s) is in %s; regenerate with: cp %s %s",
          RENDERED, firstDifferentLine(committed, rendering), ChartRenderer.RELEASE, ChartRenderer.NAMESPACE,
          EXPECTED, EXPECTED, RENDERED);
    }
  }

  @Test
  void namespaceComesFirstAndHoldsEverything() throws IOException {
    List<HasMetadata> namespaceFile = ChartRenderer.parse(Files.readString(NAMESPACE_FILE));
    assertThat(namespaceFile).singleElement().isInstanceOf(Namespace.class);
    Namespace namespace = (Namespace) namespaceFile.get(0);
    assertThat(namespace.getMetadata().getName()).isEqualTo(ChartRenderer.NAMESPACE);
    assertThat(namespace.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");

    List<HasMetadata> objects = ChartRenderer.parse(Files.readString(RENDERED));
    assertThat(objects).isNotEmpty()
        .filteredOn(o -> !o.getKind().startsWith("Cluster"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(ChartRenderer.NAMESPACE));
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("Namespace", "CustomResourceDefinition");
  }

  @Test
  void kubectlAppliesTheNamespaceFirstAndNothingElse() throws IOException {
    // kubectl apply -f DIR takes the files in lexical order and reads only .yaml, .yml and .json.
    try (Stream<Path> files = Files.list(DEPLOY)) {
      assertThat(files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")).sorted())
          .containsExactly(NAMESPACE_FILE.getFileName().toString(), RENDERED.getFileName().toString());
    }
  }

  private static int firstDifferentLine(String a, String b) {
    String[] left = a.split("\n", -1);
    String[] right = b.split("\n", -1);
    int line = 0;
    while (line < left.length && line < right.length && left[line].equals(right[line])) {
      line++;
    }
    return line + 1;
  }
}
