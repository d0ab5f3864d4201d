package dev.fc.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.FunctionInstanceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared fixture is a function the real runtime can run: every handler it configures is defined. */
class FixturesTest {
  @Test
  void everyConfiguredHandlerIsDefinedInTheFixturesCode() {
    FunctionInstanceSpec spec = Fixtures.function("any").getSpec();
    var lifecycle = spec.getInstanceLifecycleConfig();
    for (String handler : List.of(spec.getHandler(), lifecycle.getInitializer().getHandler(),
        lifecycle.getPreStop().getHandler())) {
      String[] fileAndFunction = handler.split("\\.");
      String code = spec.getCode().getInline().get(fileAndFunction[0] + ".py");
      assertThat(code).as(handler).contains("def " + fileAndFunction[1] + "(");
    }
  }
}
