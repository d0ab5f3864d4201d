package dev.fc.operator.desired;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/** FunctionInstances for tests. */
public final class Fixtures {
  public static final Map<String, String> RUNTIME_FILES = Map.of("bootstrap.py", "print('runtime')\n");

  private Fixtures() {}

  /** An emoji-style function with both hooks and inline code, as a user would write it (no defaults). */
  /** Code that defines every hook {@link #function} configures, so the real runtime can run it too. */
  public static final String CODE = "def initialize(context):\n    pass\n\n\n"
      + "def handler(event, context):\n    return event\n\n\n"
      + "def pre_stop(context):\n    pass\n";

  public static FunctionInstance function(String name) {
    FunctionInstanceSpec spec = new FunctionInstanceSpec();
    spec.setHandler("index.handler");
    spec.setCode(Code.inline(Map.of("index.py", CODE)));
    spec.setInstanceLifecycleConfig(new InstanceLifecycleConfig(
        new LifecycleHook("index.initialize", 10), new LifecycleHook("index.pre_stop", 20)));
    FunctionInstance fi = new FunctionInstance();
    fi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").withUid("uid-" + name)
        .withGeneration(1L).build());
    fi.setSpec(spec);
    return fi;
  }

  public static DesiredStateBuilder builder() {
    return new DesiredStateBuilder(InstanceSettings.defaults(), RUNTIME_FILES);
  }
}
