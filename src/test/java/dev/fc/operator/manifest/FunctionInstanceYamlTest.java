package dev.fc.operator.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.api.FunctionInstanceSpec;
import dev.fc.operator.api.InstanceLifecycleConfig;
import dev.fc.operator.api.LifecycleHook;
import dev.fc.operator.api.FcRuntime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionInstanceYamlTest {
  private static final List<String> TRICKY = List.of("0123", "1e3", "0x1F", "yes", "on", "No", "null", "~", "true",
      "", " leading", "trailing ", "a: b", "#x", "- item", "'quoted'", "\"double\"", "${vars.x}", "3.10", "😄", ".5", ".inf", "1_000", "12:30",
      "tab\there", "line\nbreak", "crlf\r\nline", "\n  indented first\n", "no newline at end\nx", "ends\n\n\n");

  private static FunctionInstance function() {
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    files.put("index.py", "def handler(event, context):\n    return '😄'\n");
    for (int i = 0; i < TRICKY.size(); i++) {
      env.put("V" + i, TRICKY.get(i));
      files.put("data/f" + i + ".txt", TRICKY.get(i));
    }
    FunctionInstanceSpec spec = new FunctionInstanceSpec();
    spec.setRuntime(FcRuntime.PYTHON_3_10.fcName());
    spec.setHandler("index.handler");
    spec.setCpu(0.35);
    spec.setEnvironmentVariables(env);
    spec.setInstanceLifecycleConfig(new InstanceLifecycleConfig(null, new LifecycleHook("index.handler", 5)));
    spec.setCode(Code.inline(files));
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName("tricky");
    metadata.setAnnotations(Map.of("fc.dev/description", "yes: it is"));
    FunctionInstance fi = new FunctionInstance();
    fi.setMetadata(metadata);
    fi.setSpec(spec);
    return fi;
  }

  @Test
  void writesApiVersionKindMetadataThenTheSpecWithCodeLast() {
    String yaml = FunctionInstanceYaml.write(function(), "from s.yaml");
    assertThat(yaml).startsWith("""
        # from s.yaml
        apiVersion: fc.dev/v1alpha1
        kind: FunctionInstance
        metadata:
          name: tricky
          annotations:
            fc.dev/description: "yes: it is"
        spec:
          runtime: python3.10
          handler: index.handler
          cpu: 0.35
        """);
    assertThat(yaml).contains("""
          code:
            inline:
              index.py: |
                def handler(event, context):
                    return '😄'
        """);
    assertThat(yaml.indexOf("instanceLifecycleConfig")).isLessThan(yaml.indexOf("code:"));
  }

  @Test
  void textYaml11ReadersWouldTakeForANumberOrBooleanIsQuoted() {
    FunctionInstance fi = function();
    List<String> numberLike = List.of("0123", "1e3", "0x1F", "1_000", "12:30", ".5", ".inf", "-1", "+1", "3.10",
        "2001-12-14", "yes", "on", "No", "null", "~", "true");
    Map<String, String> env = new LinkedHashMap<>();
    numberLike.forEach(value -> env.put("V" + env.size(), value));
    fi.getSpec().setEnvironmentVariables(env);
    String yaml = FunctionInstanceYaml.write(fi, null);
    env.forEach((name, value) -> assertThat(yaml).contains("\n    " + name + ": \"" + value + "\"\n"));
  }

  @Test
  void everyValueReadsBackAsWritten(@TempDir Path dir) throws Exception {
    FunctionInstance fi = function();
    Path file = Files.writeString(dir.resolve("tricky.yaml"), FunctionInstanceYaml.write(fi, null));
    FunctionInstance back = FunctionInstanceFile.read(file).get(0);
    assertThat(back.getMetadata().getName()).isEqualTo("tricky");
    assertThat(back.getMetadata().getAnnotations()).isEqualTo(fi.getMetadata().getAnnotations());
    assertThat(back.getSpec().getEnvironmentVariables()).isEqualTo(fi.getSpec().getEnvironmentVariables());
    assertThat(back.getSpec().getCode()).isEqualTo(fi.getSpec().getCode());
    assertThat(back.getSpec().getInstanceLifecycleConfig()).isEqualTo(fi.getSpec().getInstanceLifecycleConfig());
    assertThat(back.getSpec().getCpu()).isEqualTo(0.35);
  }
}
