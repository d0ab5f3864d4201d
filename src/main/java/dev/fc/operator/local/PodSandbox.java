package dev.fc.operator.local;

import dev.fc.operator.contract.RuntimeEnv;
import dev.fc.operator.contract.RuntimePaths;
import dev.fc.operator.desired.DesiredState;
import dev.fc.operator.desired.InstanceContainers;
import dev.fc.operator.desired.InstancePod;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The pod's container made runnable on this machine, in a folder of its own: each volume the
 * container mounts becomes a folder (a ConfigMap volume is written from the ConfigMap's data, honouring
 * its items' paths and modes; an emptyDir is an empty folder), the termination message a file, and the
 * container's command, working directory and environment are rewritten to those local paths and to
 * the local ports of {@link PortMap}.
 *
 * <p>What a cluster would supply and this machine cannot: a ConfigMap that is not in the desired state
 * (the user's {@code code.configMap}) and a volume an init container fills ({@code code.image}) are
 * refused unless {@code codeDir} stands in for {@code /code}; environment variables from Secrets,
 * ConfigMaps or resource fields are taken from this machine's environment when it has a variable of the
 * same name, else left out with a warning; the downward API gives the pod's generated name, its
 * namespace, and 127.0.0.1 as pod and host IP.
 */
public final class PodSandbox {
  /** The process to start: everything resolved to this machine. */
  public record Launch(String podName, Container container, List<String> command, Map<String, String> env,
      Path workingDir, Path terminationMessage, PortMap ports) {}

  /**
   * The pod's processes: the container that carries the contract (the Python runtime, or a custom runtime's
   * adapter), and a custom runtime's server beside it ({@code null} for the Python runtimes).
   */
  public record Sandbox(Launch lifecycle, Launch server) {}

  private PodSandbox() {}

  /**
   * Every container of the pod, each in a folder of its own under {@code root}.
   *
   * @param root an empty folder that will hold the volumes and the termination message
   * @param codeDir a local folder to mount at {@code /code} instead of the pod's code volume, or null
   * @param localEnv this machine's environment: {@code PATH}, and values for variables the cluster would resolve
   * @param warn receives one line per thing that could not be reproduced faithfully
   * @param imageWorkingDir where a container whose image sets its working directory runs (a custom container's
   *     server: its image is not pulled, so its command runs here, the FunctionInstance file's folder)
   */
  public static Sandbox preparePod(DesiredState desired, Path root, Path codeDir, PortMap ports,
      Map<String, String> localEnv, Path imageWorkingDir, Consumer<String> warn)
      throws LocalInputException, IOException {
    Pod pod = InstancePod.issue(desired.podTemplate(), new SecureRandom()); // named and given its secret, as created
    Container lifecycle = lifecycleContainer(pod);
    Container server = InstanceContainers.function(pod).filter(c -> c != lifecycle).orElse(null);
    if (server == null) {
      Launch runtime = launch(desired, pod, lifecycle, root, codeDir, ports, localEnv, root, warn);
      if (!"python3".equals(runtime.command().get(0))) {
        checkProgram(runtime, localEnv); // python3 local needs anyway; node for the Node.js runtime
      }
      return new Sandbox(runtime, null);
    }
    Launch adapter = launch(desired, pod, lifecycle, Files.createDirectories(root.resolve(lifecycle.getName())),
        codeDir, ports, localEnv, root, warn);
    Launch user = launch(desired, pod, server, Files.createDirectories(root.resolve(server.getName())), codeDir,
        ports, localEnv, imageWorkingDir, warn);
    checkProgram(user, localEnv);
    return new Sandbox(adapter, user);
  }

  private static Launch launch(DesiredState desired, Pod pod, Container container, Path root, Path codeDir,
      PortMap ports, Map<String, String> localEnv, Path imageWorkingDir, Consumer<String> warn)
      throws LocalInputException, IOException {
    String podName = pod.getMetadata().getName();
    PathMap paths = new PathMap();
    for (VolumeMount mount : container.getVolumeMounts()) {
      paths.put(mount.getMountPath(), volume(desired, pod, mount, root, codeDir));
    }
    Path terminationMessage = root.resolve("termination-log");
    Files.createFile(terminationMessage);
    paths.put(container.getTerminationMessagePath() == null
        ? RuntimePaths.TERMINATION_MESSAGE : container.getTerminationMessagePath(), terminationMessage);

    Map<String, String> env = environment(container, pod, podName, paths, ports, localEnv, warn);
    List<String> command = new ArrayList<>();
    container.getCommand().forEach(arg -> command.add(paths.path(expand(arg, env))));
    container.getArgs().forEach(arg -> command.add(paths.path(expand(arg, env))));
    if (container.getCommand().isEmpty()) {
      throw new LocalInputException("container " + container.getName() + " (image " + container.getImage()
          + ") has no command: local runs a container's command with this machine's programs and cannot read the "
          + "image's entrypoint; set customContainerConfig.command (for example [python3] with args [server.py])");
    }
    Path workingDir = container.getWorkingDir() == null ? imageWorkingDir
        : Path.of(paths.path(container.getWorkingDir()));
    return new Launch(podName, container, List.copyOf(command), env, workingDir, terminationMessage, ports);
  }

  /** A custom server's program must be on this machine: its image is not pulled. */
  private static void checkProgram(Launch launch, Map<String, String> localEnv) throws LocalInputException {
    String program = launch.command().get(0);
    boolean found;
    if (program.contains("/")) {
      found = Files.isExecutable(launch.workingDir().resolve(program));
    } else {
      String path = localEnv.getOrDefault("PATH", "");
      found = Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
          .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
    if (!found) {
      throw new LocalInputException("container " + launch.container().getName() + " runs " + program
          + " from image " + launch.container().getImage() + ", which this machine does not have"
          + (program.contains("/") ? " (looked in " + launch.workingDir() + ")" : " on its PATH")
          + ": local runs the container's command with this machine's programs; install it, or run the function "
          + "on a cluster");
    }
  }

  /**
   * The pod's container that carries the contract (docs/runtime-contract.md): the Python runtime's
   * {@code function}, or a custom runtime's adapter.
   */
  public static Container lifecycleContainer(Pod pod) {
    return InstanceContainers.lifecycle(pod).orElse(pod.getSpec().getContainers().get(0));
  }

  private static Path volume(DesiredState desired, Pod pod, VolumeMount mount, Path root, Path codeDir)
      throws LocalInputException, IOException {
    if (codeDir != null && RuntimePaths.CODE_DIR.equals(mount.getMountPath())) {
      if (!Files.isDirectory(codeDir)) {
        throw new LocalInputException("--code-dir " + codeDir + ": no such folder");
      }
      return codeDir.toAbsolutePath().normalize();
    }
    Volume volume = pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no volume " + mount.getName() + " in the pod"));
    Path dir = Files.createDirectories(root.resolve("volumes").resolve(volume.getName()));
    if (volume.getConfigMap() != null) {
      ConfigMap configMap = desired.configMaps().stream()
          .filter(cm -> cm.getMetadata().getName().equals(volume.getConfigMap().getName()))
          .findFirst()
          .orElseThrow(() -> new LocalInputException("ConfigMap " + volume.getConfigMap().getName() + " (mounted at "
              + mount.getMountPath() + ") lives in the cluster and cannot be fetched locally: "
              + "use --code-dir DIR with a folder holding its files, or spec.code.inline"));
      writeConfigMap(configMap, volume.getConfigMap(), dir);
    } else if (volume.getEmptyDir() != null) {
      for (Container init : pod.getSpec().getInitContainers()) {
        if (init.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(volume.getName()))) {
          throw new LocalInputException("the files at " + mount.getMountPath() + " come from init container "
              + init.getName() + " (image " + init.getImage() + "), which local does not run: "
              + "use --code-dir DIR with a folder holding the image's " + mount.getMountPath() + ", or spec.code.inline");
        }
      }
    } else {
      throw new LocalInputException("volume " + volume.getName() + " is neither a ConfigMap nor an emptyDir: "
          + "local cannot provide it");
    }
    return dir;
  }

  /** As the kubelet: the items' keys at their paths (every key when there are no items), with their modes. */
  private static void writeConfigMap(ConfigMap configMap, ConfigMapVolumeSource source, Path dir) throws IOException {
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (configMap.getData() != null) {
      configMap.getData().forEach((key, value) -> data.put(key, value.getBytes(StandardCharsets.UTF_8)));
    }
    if (configMap.getBinaryData() != null) {
      configMap.getBinaryData().forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
    }
    List<KeyToPath> items = source.getItems() == null || source.getItems().isEmpty()
        ? data.keySet().stream().map(key -> new KeyToPath(key, null, key)).toList()
        : source.getItems();
    for (KeyToPath item : items) {
      byte[] content = data.get(item.getKey());
      if (content == null) {
        throw new IllegalStateException("ConfigMap " + configMap.getMetadata().getName() + " has no key " + item.getKey());
      }
      Path file = dir.resolve(item.getPath()).normalize();
      if (!file.startsWith(dir)) {
        throw new IllegalStateException("item path " + item.getPath() + " leaves the volume");
      }
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      Integer mode = item.getMode() != null ? item.getMode() : source.getDefaultMode();
      if (mode != null) {
        chmod(file, mode);
      }
    }
  }

  private static void chmod(Path file, int mode) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        permissions.add(bits[i]);
      }
    }
    Files.setPosixFilePermissions(file, permissions);
  }

  /**
   * The container's environment: this machine's {@code PATH} (an image brings its own), then the pod's
   * variables in order, {@code $(NAME)} references expanded as the kubelet does, paths and ports mapped.
   */
  private static Map<String, String> environment(Container container, Pod pod, String podName, PathMap paths,
      PortMap ports, Map<String, String> localEnv, Consumer<String> warn) {
    Map<String, String> env = new LinkedHashMap<>();
    if (localEnv.get("PATH") != null) {
      env.put("PATH", localEnv.get("PATH"));
    }
    if (!container.getEnvFrom().isEmpty()) {
      warn.accept("envFrom cannot be resolved locally: skipped");
    }
    for (EnvVar var : container.getEnv()) {
      String name = var.getName();
      String value;
      if (var.getValueFrom() == null) {
        value = expand(var.getValue() == null ? "" : var.getValue(), env);
      } else {
        value = valueFrom(name, var.getValueFrom(), pod, podName, localEnv, warn);
        if (value == null) {
          continue;
        }
      }
      if ((RuntimeEnv.PORTS.contains(name) || RuntimeEnv.CUSTOM_LISTEN_PORT.equals(name)) && value.matches("\\d+")) {
        value = String.valueOf(ports.local(Integer.parseInt(value)));
      }
      env.put(name, paths.value(value));
    }
    return env;
  }

  private static String valueFrom(String name, EnvVarSource source, Pod pod, String podName,
      Map<String, String> localEnv, Consumer<String> warn) {
    if (source.getFieldRef() != null) {
      String field = source.getFieldRef().getFieldPath();
      switch (field) {
        case "metadata.name":
          return podName;
        case "metadata.namespace":
          return pod.getMetadata().getNamespace();
        case "status.podIP":
        case "status.hostIP":
          return "127.0.0.1";
        case "spec.nodeName":
          return "localhost";
        default:
          break;
      }
    }
    String what = describe(source);
    String local = localEnv.get(name);
    if (local != null) {
      warn.accept("env " + name + ": " + what + " taken from the local environment");
      return local;
    }
    boolean optional = source.getSecretKeyRef() != null && Boolean.TRUE.equals(source.getSecretKeyRef().getOptional())
        || source.getConfigMapKeyRef() != null && Boolean.TRUE.equals(source.getConfigMapKeyRef().getOptional());
    warn.accept("env " + name + ": " + what + " cannot be resolved locally: skipped"
        + (optional ? " (optional)" : "") + "; set " + name + " in your environment to pass a value");
    return null;
  }

  private static String describe(EnvVarSource source) {
    if (source.getSecretKeyRef() != null) {
      return "secretKeyRef " + source.getSecretKeyRef().getName() + "/" + source.getSecretKeyRef().getKey();
    }
    if (source.getConfigMapKeyRef() != null) {
      return "configMapKeyRef " + source.getConfigMapKeyRef().getName() + "/" + source.getConfigMapKeyRef().getKey();
    }
    if (source.getResourceFieldRef() != null) {
      return "resourceFieldRef " + source.getResourceFieldRef().getResource();
    }
    if (source.getFieldRef() != null) {
      return "fieldRef " + source.getFieldRef().getFieldPath();
    }
    return "valueFrom";
  }

  /**
   * Kubernetes' dependent variables: {@code $(NAME)} becomes the value of an earlier variable,
   * {@code $$} a single {@code $}; an unknown reference stays as written.
   */
  static String expand(String value, Map<String, String> defined) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '$' && i + 1 < value.length()) {
        char next = value.charAt(i + 1);
        if (next == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        int close = value.indexOf(')', i + 2);
        if (next == '(' && close > 0) {
          String ref = value.substring(i + 2, close);
          String resolved = defined.get(ref);
          out.append(resolved != null ? resolved : value, resolved != null ? 0 : i,
              resolved != null ? resolved.length() : close + 1);
          i = close + 1;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }
}
