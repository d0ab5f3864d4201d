package dev.fc.operator.realnode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * {@code @ExtendWith(RealNodeExtension.class)}: the shared {@link RealNode} (operator installed) before the
 * class's tests, injected as a parameter; when a test fails, the operator's log and the tails of the
 * kubelet's and kube-proxy's logs are printed.
 */
public final class RealNodeExtension implements BeforeAllCallback, ParameterResolver, TestWatcher {
  @Override
  public void beforeAll(ExtensionContext context) {
    RealNode.shared();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return RealNode.shared();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    RealNode node = RealNode.shared();
    StringBuilder out = new StringBuilder("realnode: " + context.getDisplayName() + " failed\n");
    out.append(node.operatorLogs());
    for (String component : List.of("kubelet", "kube-proxy")) {
      out.append("--- ").append(component).append(".log (tail)\n").append(tail(node.run().resolve(component + ".log")));
    }
    System.err.println(out);
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())) + "\n";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")\n";
    }
  }
}
