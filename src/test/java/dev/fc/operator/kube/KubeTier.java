package dev.fc.operator.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away Kubernetes 1.20 control plane for integration tests: etcd, kube-apiserver (RBAC,
 * static admin token, service-account tokens) and kube-controller-manager (garbage collector,
 * service-account and token controllers, namespace controller, ...), all on 127.0.0.1 with free
 * ports, data in a temp dir, process logs in {@code target/kube-tier/run-*}.
 *
 * <p>Binaries come from {@code .ci/kube-binaries.sh}; the directory is {@code -Dfc.kube.bin}, else
 * {@code $FC_KUBE_CACHE/bin}, else {@code ~/.cache/fc-operator/kube-1.20.2/bin}.
 *
 * <p>{@link #withNode()} adds kube-scheduler and one kubemark hollow node ({@value #NODE_NAME}), so
 * pods get scheduled and reach Running; every pod gets the IP {@value #POD_IP} and the hollow kubelet
 * really probes it. That needs the private network namespace set up by {@code .ci/netns-jvm/bin/java}
 * (failsafe's JVM in {@code -Pkube}), where {@value #POD_IP} is on the loopback: a test answers the
 * probes by listening on it.
 *
 * <p>Use {@link #shared()} (one instance per JVM, stopped by a shutdown hook) or {@link #start()}
 * with try-with-resources. Each component runs under a tiny {@code sh} guard that stops it when
 * its stdin pipe closes, so the processes also go away if the JVM is killed.
 */
public final class KubeTier implements AutoCloseable {

  public static final String BIN_DIR_PROPERTY = "fc.kube.bin";
  public static final String LOG_DIR_PROPERTY = "fc.kube.logDir";
  public static final String DEFAULT_CACHE = ".cache/fc-operator/kube-1.20.2";
  public static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kube-controller-manager");

  /** The hollow node's name. */
  public static final String NODE_NAME = "hollow-node";
  /** Every pod's IP on the hollow node (kubemark's fake container runtime hands out this one). */
  public static final String POD_IP = "192.168.192.168";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final String ISSUER = "https://kubernetes.default.svc";
  private static final int TAIL_LINES = 40;
  private static final String HOLLOW_NODE = "kubemark";
  private static final int HOLLOW_NODE_RESTARTS = 3;

  /** $0 = component name, "$@" = its command; stdin (fd 3) closing means "stop". */
  private static final String GUARD =
      "exec 3<&0\n"
          + "\"$@\" </dev/null 3<&- &\n"
          + "c=$!\n"
          + "{ read -r _ <&3; kill -TERM $c 2>/dev/null; } &\n"
          + "wait $c\n";

  private static KubeTier shared;
  private static RuntimeException sharedFailure;

  private final Path binDir;
  private final Path runDir;
  private final Path logDir;
  private final Map<String, Process> processes = new LinkedHashMap<>(); // guarded by itself
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
  private final String adminToken = randomHex(16);
  private final Options options;
  private final Map<String, String> userTokens = new LinkedHashMap<>();
  private int apiPort;
  private String etcdUrl;
  private Path caFile;
  private KubernetesClient admin;
  private Duration startupTime;
  private boolean nodeStarted;
  private int hollowNodeRestarts;
  private volatile boolean closed;

  private KubeTier(Path binDir, Path runDir, Path logDir, Options options) {
    this.binDir = binDir;
    this.runDir = runDir;
    this.logDir = logDir;
    this.options = options;
  }

  /**
   * What a tier may differ in: the Service IP range, extra flags for etcd and kube-apiserver, users with static
   * tokens (name to group), and an audit policy (YAML) whose JSON log {@link #auditLog()} then names. The ITs
   * use {@link #defaults()}; benchmarks ask for a bigger Service range and a production control plane's flags.
   *
   * @param serviceClusterIpRange kube-apiserver's {@code --service-cluster-ip-range}; a /24 holds 254 Services
   * @param auditPolicy an {@code audit.k8s.io/v1} Policy, or null for no audit log
   */
  public record Options(String serviceClusterIpRange, List<String> etcdFlags, List<String> apiServerFlags,
      Map<String, String> users, String auditPolicy, List<String> controllerManagerFlags) {
    public Options {
      etcdFlags = List.copyOf(etcdFlags);
      apiServerFlags = List.copyOf(apiServerFlags);
      users = Map.copyOf(users);
      controllerManagerFlags = List.copyOf(controllerManagerFlags);
    }

    public Options withControllerManagerFlags(String... flags) {
      return new Options(serviceClusterIpRange, etcdFlags, apiServerFlags, users, auditPolicy, List.of(flags));
    }

    public static Options defaults() {
      return new Options("10.0.0.0/24", List.of(), List.of(), Map.of(), null, List.of());
    }

    public Options withServiceClusterIpRange(String range) {
      return new Options(range, etcdFlags, apiServerFlags, users, auditPolicy, controllerManagerFlags);
    }

    public Options withEtcdFlags(String... flags) {
      return new Options(serviceClusterIpRange, List.of(flags), apiServerFlags, users, auditPolicy, controllerManagerFlags);
    }

    public Options withApiServerFlags(String... flags) {
      return new Options(serviceClusterIpRange, etcdFlags, List.of(flags), users, auditPolicy, controllerManagerFlags);
    }

    /** A user authenticated by a static token ({@link #token(String)}), member of {@code group}. */
    public Options withUser(String name, String group) {
      Map<String, String> more = new LinkedHashMap<>(users);
      more.put(name, group);
      return new Options(serviceClusterIpRange, etcdFlags, apiServerFlags, more, auditPolicy, controllerManagerFlags);
    }

    public Options withAuditPolicy(String policyYaml) {
      return new Options(serviceClusterIpRange, etcdFlags, apiServerFlags, users, policyYaml, controllerManagerFlags);
    }
  }

  /** The tier shared by all tests of this JVM; started on first use, stopped at JVM exit. */
  public static synchronized KubeTier shared() {
    if (sharedFailure != null) {
      throw new IllegalStateException("kube tier failed to start earlier in this JVM", sharedFailure);
    }
    if (shared == null) {
      try {
        KubeTier tier = start();
        Runtime.getRuntime().addShutdownHook(new Thread(tier::close, "kube-tier-stop"));
        shared = tier;
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
    }
    return shared;
  }

  /** The shared tier if it was started, else null (for diagnostics). */
  static synchronized KubeTier sharedIfStarted() {
    return shared;
  }

  /** Starts a new, private tier. Close it. */
  public static KubeTier start() {
    return start(Options.defaults());
  }

  /** Starts a new, private tier with {@code options}. Close it. */
  public static KubeTier start(Options options) {
    Path bin = binDir();
    for (String b : BINARIES) {
      if (!Files.isExecutable(bin.resolve(b))) {
        throw new IllegalStateException("Kubernetes test binary " + bin.resolve(b) + " is missing: run"
            + " .ci/kube-binaries.sh (or point -D" + BIN_DIR_PROPERTY + " / FC_KUBE_CACHE at its output)");
      }
    }
    String run = "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        + "-" + ProcessHandle.current().pid() + "-" + randomHex(2);
    KubeTier tier;
    try {
      Path logs = Files.createDirectories(logRoot().resolve(run));
      tier = new KubeTier(bin, Files.createTempDirectory("fc-kube-tier-"), logs, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      tier.boot();
      return tier;
    } catch (RuntimeException | Error e) {
      String tails = tier.logTails();
      tier.close();
      throw new IllegalStateException("kube tier failed to start: " + e.getMessage()
          + " (logs: " + tier.logDir + ")\n" + tails, e);
    }
  }

  static Path binDir() {
    String prop = System.getProperty(BIN_DIR_PROPERTY, "");
    if (!prop.isBlank()) {
      return Path.of(prop);
    }
    String cache = System.getenv("FC_KUBE_CACHE");
    if (cache != null && !cache.isBlank()) {
      return Path.of(cache, "bin");
    }
    return Path.of(System.getProperty("user.home"), DEFAULT_CACHE, "bin");
  }

  static Path logRoot() {
    String prop = System.getProperty(LOG_DIR_PROPERTY, "");
    return prop.isBlank() ? Path.of("target", "kube-tier") : Path.of(prop);
  }

  private void boot() {
    long t0 = System.nanoTime();
    try {
      StringBuilder tokens = new StringBuilder(adminToken + ",admin,admin,\"system:masters\"\n");
      options.users().forEach((user, group) -> {
        String token = randomHex(16);
        userTokens.put(user, token);
        tokens.append(token).append(',').append(user).append(',').append(user).append(",\"").append(group)
            .append("\"\n");
      });
      Files.writeString(runDir.resolve("tokens.csv"), tokens);
      Path saKey = runDir.resolve("sa.key");
      writeServiceAccountKey(saKey);
      int[] ports = freePorts(3);
      int etcdPort = ports[0];
      int etcdPeerPort = ports[1];
      apiPort = ports[2];
      etcdUrl = "http://127.0.0.1:" + etcdPort;
      String peerUrl = "http://127.0.0.1:" + etcdPeerPort;

      List<String> etcd = new ArrayList<>(List.of(bin("etcd"),
          "--name=default",
          "--data-dir=" + runDir.resolve("etcd"),
          "--listen-client-urls=" + etcdUrl,
          "--advertise-client-urls=" + etcdUrl,
          "--listen-peer-urls=" + peerUrl,
          "--initial-advertise-peer-urls=" + peerUrl,
          "--initial-cluster=default=" + peerUrl,
          "--logger=zap"));
      etcd.addAll(options.etcdFlags());
      launch("etcd", etcd);

      Path certDir = runDir.resolve("certs");
      caFile = certDir.resolve("apiserver.crt"); // self-signed by the apiserver: CA + serving cert
      List<String> apiServer = new ArrayList<>(List.of(bin("kube-apiserver"),
          "--etcd-servers=" + etcdUrl,
          "--bind-address=127.0.0.1",
          "--advertise-address=127.0.0.1",
          "--secure-port=" + apiPort,
          "--cert-dir=" + certDir,
          "--token-auth-file=" + runDir.resolve("tokens.csv"),
          "--authorization-mode=RBAC",
          "--service-cluster-ip-range=" + options.serviceClusterIpRange(),
          "--service-account-issuer=" + ISSUER,
          "--api-audiences=" + ISSUER,
          "--service-account-key-file=" + saKey,
          "--service-account-signing-key-file=" + saKey,
          "--allow-privileged=true",
          "--profiling=false"));
      if (options.auditPolicy() != null) {
        Path policy = runDir.resolve("audit-policy.yaml");
        Files.writeString(policy, options.auditPolicy());
        apiServer.addAll(List.of("--audit-policy-file=" + policy, "--audit-log-path=" + auditLog(),
            "--audit-log-format=json", "--audit-log-mode=blocking",
            "--audit-log-maxsize=1000000")); // MB: never rotated, so a reader's offsets stay valid
      }
      apiServer.addAll(options.apiServerFlags());
      launch("kube-apiserver", apiServer);

      // the apiserver writes apiserver.crt, then apiserver.key: once the key exists the cert is complete
      await("kube-apiserver serving certificate", () -> Files.isRegularFile(certDir.resolve("apiserver.key")));
      HttpClient probe = HttpClient.newBuilder().sslContext(sslContextTrusting(caFile))
          .connectTimeout(Duration.ofSeconds(2)).build();
      await("kube-apiserver /readyz", () -> readyz(probe));

      Path kubeconfig = runDir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig());
      List<String> controllerManager = new ArrayList<>(List.of(bin("kube-controller-manager"),
          "--kubeconfig=" + kubeconfig,
          "--leader-elect=false",
          "--port=0",
          "--secure-port=0",
          "--controllers=*",
          "--service-account-private-key-file=" + saKey,
          "--root-ca-file=" + caFile,
          "--profiling=false"));
      controllerManager.addAll(options.controllerManagerFlags());
      launch("kube-controller-manager", controllerManager);

      admin = newClient(adminToken, "default");
      // the serviceaccount controller creates "default" in every namespace: the controllers run
      await("kube-controller-manager (ServiceAccount default/default)",
          () -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null);
      startupTime = Duration.ofNanos(System.nanoTime() - t0);
      System.err.printf("kube-tier: Kubernetes %s on %s started in %d ms (logs: %s)%n",
          admin.getKubernetesVersion().getGitVersion(), masterUrl(), startupTime.toMillis(),
          logDir.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- public API --------------------------------------------------------------------------------

  /** The API server URL, https://127.0.0.1:port. */
  public String masterUrl() {
    return "https://127.0.0.1:" + apiPort;
  }

  /** etcd's client URL, http://127.0.0.1:port (its v3 JSON gateway is under /v3/). */
  public String etcdUrl() {
    return etcdUrl;
  }

  /** The kube-apiserver's audit log (JSON lines), written when the tier was started with an audit policy. */
  public Path auditLog() {
    return logDir.resolve("audit.log");
  }

  /** The static token of a user from {@link Options#withUser}. */
  public String token(String user) {
    String token = userTokens.get(user);
    if (token == null) {
      throw new IllegalArgumentException("no user " + user + " in this tier's options");
    }
    return token;
  }

  /** A client authenticated as a user from {@link Options#withUser}. Closed with the tier. */
  public KubernetesClient userClient(String user) {
    return newClient(token(user), "default");
  }

  /** A kubeconfig (YAML) for a user from {@link Options#withUser}, for a process of its own. */
  public String kubeconfig(String user) {
    return kubeconfigFor(token(user));
  }

  /** A client acting as cluster admin (group system:masters). Owned by the tier: do not close. */
  public KubernetesClient adminClient() {
    return admin;
  }

  /**
   * A new cluster-admin client, for harnesses that close the client they are given (e.g. an
   * operator under test, JOSDK's LocallyRunOperatorExtension). Also closed with the tier.
   */
  public KubernetesClient newAdminClient() {
    return newClient(adminToken, "default");
  }

  /** Config acting as cluster admin, for harnesses that build their own client or operator. */
  public Config adminConfig() {
    return config(adminToken, "default");
  }

  /**
   * A client authenticated as the ServiceAccount {@code namespace/name} (created if missing) through
   * a TokenRequest, so it has exactly the RBAC permissions granted to that ServiceAccount. Closed
   * with the tier.
   */
  public KubernetesClient serviceAccountClient(String namespace, String name) {
    return newClient(serviceAccountToken(namespace, name, Duration.ofHours(1)), namespace);
  }

  /** A bearer token for {@code namespace/name} (created if missing), from the TokenRequest API. */
  public String serviceAccountToken(String namespace, String name, Duration validity) {
    if (admin.serviceAccounts().inNamespace(namespace).withName(name).get() == null) {
      admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build()).create();
    }
    TokenRequest request = new TokenRequestBuilder().withNewSpec()
        .withExpirationSeconds(validity.toSeconds()).endSpec().build();
    return admin.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request)
        .getStatus().getToken();
  }

  /**
   * Creates a namespace with a unique name starting with {@code prefix}, and waits until its
   * {@code default} ServiceAccount has its token (until then the ServiceAccount admission plugin
   * refuses pods).
   */
  public String createNamespace(String prefix) {
    String name = prefix + "-" + randomHex(3);
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
        .build()).create();
    await("ServiceAccount " + name + "/default and its token", START_TIMEOUT, () -> {
      var sa = admin.serviceAccounts().inNamespace(name).withName("default").get();
      return sa != null && sa.getSecrets() != null && !sa.getSecrets().isEmpty();
    });
    return name;
  }

  /**
   * Adds kube-scheduler and the kubemark hollow node {@value #NODE_NAME} (once; later calls return
   * at once) and waits until the node is Ready. Requires the private network namespace of
   * {@code .ci/netns-jvm/bin/java}: the hollow kubelet binds 0.0.0.0 and sends real probes to
   * {@value #POD_IP}.
   */
  public synchronized KubeTier withNode() {
    if (nodeStarted) {
      return this;
    }
    requireIsolatedNetwork();
    if (!Files.isExecutable(binDir.resolve("kube-scheduler")) || !Files.isExecutable(binDir.resolve("kubemark"))) {
      throw new IllegalStateException("kube-scheduler or kubemark missing in " + binDir
          + ": run .ci/kube-binaries.sh");
    }
    long t0 = System.nanoTime();
    try {
      Path kubeconfig = runDir.resolve("kubeconfig");
      launch("kube-scheduler", List.of(bin("kube-scheduler"),
          "--kubeconfig=" + kubeconfig,
          "--leader-elect=false",
          "--port=0",
          "--secure-port=0",
          "--profiling=false"));
      // kubemark's fake container runtime listens on the fixed /tmp/kubelet_remote.sock: give it a
      // private /tmp (own mount namespace) so hollow nodes of concurrent test runs do not collide.
      Path home = Files.createDirectories(runDir.resolve("kubemark"));
      Files.createDirectories(home.resolve("tmp"));
      Files.copy(kubeconfig, home.resolve("kubeconfig"));
      launchHollowNode();
      await("node " + NODE_NAME + " Ready", () -> {
        var node = admin.nodes().withName(NODE_NAME).get();
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
            && FcKube.orEmpty(node.getStatus().getConditions()).stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      String tails = logTails();
      for (String name : List.of("kubemark", "kube-scheduler")) { // leave the control plane usable
        Process p;
        synchronized (processes) {
          p = processes.remove(name);
        }
        if (p != null) {
          stop(p);
        }
      }
      throw new IllegalStateException("hollow node failed to start: " + e.getMessage() + " (logs: "
          + logDir + ")\n" + tails, e);
    }
    nodeStarted = true;
    System.err.printf("kube-tier: scheduler and hollow node %s ready in %d ms%n", NODE_NAME,
        Duration.ofNanos(System.nanoTime() - t0).toMillis());
    return this;
  }

  /**
   * Whether this JVM runs in a private network namespace with only a loopback interface that
   * carries {@value #POD_IP}, as set up by {@code .ci/netns-jvm/bin/java}.
   */
  public static boolean isolatedNetwork() {
    try {
      List<String> interfaces = Files.readAllLines(Path.of("/proc/self/net/dev")).stream().skip(2)
          .map(l -> l.trim().split(":")[0]).toList();
      return interfaces.equals(List.of("lo"))
          && java.net.NetworkInterface.getByInetAddress(InetAddress.getByName(POD_IP)) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static void requireIsolatedNetwork() {
    if (!isolatedNetwork()) {
      throw new IllegalStateException("the hollow node binds 0.0.0.0 and probes " + POD_IP
          + ", so it only runs in a private network namespace with " + POD_IP + " on lo; run the"
          + " tests with -Pkube (failsafe forks .ci/netns-jvm/bin/java), not with FC_KUBE_NETNS=0");
    }
  }

  /** The directory holding etcd.log, kube-apiserver.log, kube-controller-manager.log. */
  public Path logDir() {
    return logDir;
  }

  public Duration startupTime() {
    return startupTime;
  }

  /** The hollow kubelet's own process (under its guard and unshare), if it runs. */
  public Optional<ProcessHandle> hollowNodeProcess() {
    Process guard = components().get(HOLLOW_NODE);
    return guard == null ? Optional.empty() : guard.descendants()
        .filter(h -> h.info().command().map(c -> c.endsWith("/kubemark")).orElse(false)).findFirst();
  }

  /** The processes of the running components (their guards and everything under them), for CPU accounting. */
  public List<ProcessHandle> componentProcesses() {
    List<ProcessHandle> all = new ArrayList<>();
    components().values().forEach(guard -> {
      all.add(guard.toHandle());
      guard.descendants().forEach(all::add);
    });
    return all;
  }

  /** How often the hollow node was started again after it died. */
  public synchronized int hollowNodeRestarts() {
    return hollowNodeRestarts;
  }

  /** The last lines of every component log, for failure reports. */
  public String logTails() {
    StringBuilder out = new StringBuilder();
    Map<String, Process> components = components();
    for (String name : components.keySet()) {
      Path log = logDir.resolve(name + ".log");
      out.append("----- last ").append(TAIL_LINES).append(" lines of ").append(log.toAbsolutePath());
      Process p = components.get(name);
      out.append(p.isAlive() ? " (running)" : " (exited " + p.exitValue() + ")").append(" -----\n");
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())
            .forEach(l -> out.append(l).append('\n'));
      } catch (IOException | RuntimeException e) {
        out.append("(unreadable: ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  /**
   * Polls {@code condition} until it holds, failing after {@code timeout} or as soon as a component
   * process has exited.
   */
  public void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      checkAlive(what);
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for "
            + what + (last == null ? "" : " (last error: " + last + ")"), last);
      }
      pause();
    }
  }

  /** Throws, naming the component and its exit status, if a component process has exited. */
  public void checkRunning() {
    try {
      checkAlive("the next test");
    } catch (IllegalStateException e) {
      throw new IllegalStateException("kube tier is broken: " + e.getMessage() + " (logs: " + logDir + ")", e);
    }
  }

  /** Stops all components (process trees), closes the clients and deletes the data directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    clients.forEach(c -> {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // best effort
      }
    });
    Map<String, Process> components = components();
    List<String> names = new ArrayList<>(components.keySet());
    java.util.Collections.reverse(names); // controllers first, etcd last
    for (String name : names) {
      stop(components.get(name));
    }
    deleteRecursively(runDir);
  }

  // ---- internals -----------------------------------------------------------------------------------

  private void await(String what, BooleanSupplier condition) {
    await(what, START_TIMEOUT, condition);
  }

  private Map<String, Process> components() {
    synchronized (processes) {
      return new LinkedHashMap<>(processes);
    }
  }

  private void checkAlive(String what) {
    components().forEach((name, p) -> {
      if (!p.isAlive() && !(HOLLOW_NODE.equals(name) && restartHollowNode(p))) {
        throw new IllegalStateException(name + " exited with status " + p.exitValue()
            + " while waiting for " + what + "\n" + crashReport(logDir.resolve(name + ".log")));
      }
    });
  }

  /**
   * What a dead component's log says about its end: a Go panic or fatal error from its first line (the goroutine
   * dump under it is cut), else the log's last lines.
   */
  static String crashReport(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "(log " + log + " unreadable: " + e + ")";
    }
    int from = lines.size();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("panic: ") || line.startsWith("fatal error: ")) {
        from = i;
        break;
      }
    }
    int start = from < lines.size() ? Math.max(0, from - 5) : Math.max(0, lines.size() - TAIL_LINES);
    int end = from < lines.size() ? Math.min(lines.size(), from + TAIL_LINES) : lines.size();
    return "----- " + log + ", lines " + (start + 1) + "-" + end + " of " + lines.size() + " -----\n"
        + String.join("\n", lines.subList(start, end));
  }

  private static void pause() {
    try {
      Thread.sleep(50); // poll interval, always bounded by a deadline
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void launchHollowNode() throws IOException {
    Path home = runDir.resolve("kubemark");
    launch(HOLLOW_NODE, List.of("unshare", "--mount", "--propagation", "private", "--",
        "sh", "-c", "cd \"$0\" && mount --bind tmp /tmp && exec \"$@\"", home.toString(),
        bin("kubemark"),
        "--morph=kubelet",
        "--name=" + NODE_NAME,
        "--kubeconfig=kubeconfig",
        "--kubelet-port=10250",
        "--kubelet-read-only-port=0"));
  }

  /**
   * Starts the hollow node again after it died, as systemd restarts a kubelet ({@code Restart=always}): a kubelet
   * restart is a state a real node goes through, a dead node for the rest of the run is not what the tests are about.
   * Its fake runtime starts empty, so pods on the node get new sandboxes, as after a node reboot. The crash is
   * reported on stderr and its log kept as {@code kubemark-N.log}.
   *
   * @return whether it was started again (at most {@value #HOLLOW_NODE_RESTARTS} times a tier)
   */
  private synchronized boolean restartHollowNode(Process dead) {
    synchronized (processes) {
      if (processes.get(HOLLOW_NODE) != dead) {
        return true; // another thread restarted it
      }
    }
    if (closed || hollowNodeRestarts >= HOLLOW_NODE_RESTARTS) {
      return false;
    }
    hollowNodeRestarts++;
    Path log = logDir.resolve(HOLLOW_NODE + ".log");
    Path kept = logDir.resolve(HOLLOW_NODE + "-" + hollowNodeRestarts + ".log");
    System.err.printf("kube-tier: the hollow node exited with status %d; restarting it (%d of %d), its log kept"
        + " as %s%n%s%n", dead.exitValue(), hollowNodeRestarts, HOLLOW_NODE_RESTARTS, kept, crashReport(log));
    try {
      Files.move(log, kept, StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(runDir.resolve("kubemark").resolve("tmp").resolve("kubelet_remote.sock"));
      launchHollowNode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return true;
  }

  private void launch(String name, List<String> command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", GUARD, name));
    cmd.addAll(command);
    Path log = logDir.resolve(name + ".log");
    Files.writeString(log, "# " + String.join(" ", command) + "\n");
    Process p = new ProcessBuilder(cmd)
        .directory(runDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start(); // stdin stays a pipe to this JVM: see GUARD
    synchronized (processes) {
      processes.put(name, p);
    }
  }

  private static void stop(Process guard) {
    List<ProcessHandle> tree = Stream.concat(guard.descendants(), Stream.of(guard.toHandle())).toList();
    try {
      guard.getOutputStream().close(); // the guard sends SIGTERM to the component
    } catch (IOException ignored) {
      // already gone
    }
    try {
      guard.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      System.err.println("kube-tier: process " + guard.pid() + " did not stop in time, killing it");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.forEach(h -> {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    });
  }

  private String bin(String name) {
    return binDir.resolve(name).toString();
  }

  private boolean readyz(HttpClient probe) {
    try {
      HttpResponse<String> response = probe.send(HttpRequest.newBuilder(URI.create(masterUrl() + "/readyz"))
          .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Config config(String token, String namespace) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(masterUrl())
        .withCaCertFile(caFile.toString())
        .withOauthToken(token)
        .withNamespace(namespace)
        .withRequestTimeout(30_000)
        .build();
  }

  private KubernetesClient newClient(String token, String namespace) {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config(token, namespace)).build();
    clients.add(client);
    return client;
  }

  private String kubeconfig() {
    return kubeconfigFor(adminToken);
  }

  private String kubeconfigFor(String token) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kube-tier
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: admin
          user: {token: "%s"}
        contexts:
        - name: kube-tier
          context: {cluster: kube-tier, user: admin}
        current-context: kube-tier
        """.formatted(masterUrl(), caData(), token);
  }

  /** The CA inline, so the kubeconfig also works where {@code runDir} is not visible (kubemark). */
  private String caData() {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(caFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeServiceAccountKey(Path file) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
      String pem = "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
      Files.writeString(file, pem);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext sslContextTrusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("kube-tier-" + i++, cert);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
