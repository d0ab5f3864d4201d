package dev.fc.operator.desired;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.CustomContainerConfig;
import dev.fc.operator.api.CustomRuntimeConfig;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
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

  /** runtime custom-container: an image with a command, FC's default port. */
  public static FunctionInstance customContainer(String name, Long runAsUser) {
    FunctionInstance fi = function(name);
    fi.getSpec().setRuntime("custom-container");
    fi.getSpec().setCode(null);
    fi.getSpec().setCustomContainerConfig(new CustomContainerConfig("registry.example.com/team/app:1.0",
        List.of("node"), List.of("server.js"), null, runAsUser));
    return fi;
  }

  /** runtime custom.debian12: a command on inline code, port 8080, one variable of the user's. */
  public static FunctionInstance debian(String name) {
    FunctionInstance fi = function(name);
    fi.getSpec().setRuntime("custom.debian12");
    fi.getSpec().setCode(Code.inline(Map.of("app.py", "print('hi')\n")));
    fi.getSpec().setCustomRuntimeConfig(new CustomRuntimeConfig(List.of("python3", "app.py"), null, 8080));
    fi.getSpec().setEnvironmentVariables(Map.of("GREETING", "hello"));
    return fi;
  }

  public static DesiredStateBuilder builder() {
    return new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.same(RUNTIME_FILES));
  }
}
