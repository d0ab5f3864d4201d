package dev.fc.operator.kube.bench;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.kube.FcKube;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The benchmark's functions: {@link FcKube#function} (inline code, both hooks, 1 instance) whose {@code index.py}
 * is {@link Fixtures#CODE} padded with comment lines to exactly {@code codeBytes} bytes.
 */
final class Functions {
  private final String code;

  Functions(int codeBytes) {
    this.code = padded(codeBytes);
  }

  static String name(int i) {
    return "f" + i;
  }

  FunctionInstance function(String namespace, int i) {
    FunctionInstance fi = FcKube.function(namespace, name(i), 1);
    fi.getSpec().setCode(Code.inline(Map.of("index.py", code)));
    return fi;
  }

  /** The function's own code, in bytes. */
  int codeBytes() {
    return code.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String padded(int bytes) {
    StringBuilder out = new StringBuilder(Fixtures.CODE);
    String line = "# " + "x".repeat(77) + "\n";
    while (out.length() + line.length() <= bytes) {
      out.append(line);
    }
    int rest = bytes - out.length();
    if (rest >= 2) {
      out.append("#").append("x".repeat(rest - 2)).append('\n');
    } else if (rest == 1) {
      out.append('\n');
    }
    return out.toString();
  }
}
