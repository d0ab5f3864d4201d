package dev.fc.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fc.operator.Await;
import dev.fc.operator.api.Code;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.api.FunctionInstanceStatus;
import dev.fc.operator.desired.ConfigMapFactory;
import dev.fc.operator.desired.Fixtures;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.manager.FcOperator;
import dev.fc.operator.manager.ManagerSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The whole operator against kubernetes-server-mock in CRUD mode; the test plays the kubelet. */
@EnableKubernetesMockClient(crud = true)
class OperatorTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  static final ReconcilerSettings FAST = new ReconcilerSettings(Duration.ofSeconds(1), Duration.ofSeconds(8),
      Duration.ofSeconds(2));
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final String INFORMERS = "io.fabric8.kubernetes.client.informers";

  private Operator operator;
  private SimpleMeterRegistry metrics;
  private Kubelet kubelet;
  private String namespace;

  /** What the informers' event handlers threw: java-operator-sdk's handlers and ours run there, and fabric8 only logs. */
  private final ListAppender<ILoggingEvent> informerErrors = new ListAppender<>();

  @BeforeEach
  void start(TestInfo test) {
    informerErrors.start();
    ((Logger) LoggerFactory.getLogger(INFORMERS)).addAppender(informerErrors);
    namespace = "t" + NAMESPACES.incrementAndGet();
    kubelet = new Kubelet(client);
    operator = startOperator();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    ((Logger) LoggerFactory.getLogger(INFORMERS)).detachAppender(informerErrors);
    assertThat(informerErrors.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .as("no event handler failed in an informer").extracting(ILoggingEvent::getFormattedMessage).isEmpty();
  }

  private Operator startOperator() {
    return startOperator(FAST);
  }

  private Operator startOperator(ReconcilerSettings settings) {
    return startOperator(settings, Clock.systemUTC());
  }

  private Operator startOperator(ReconcilerSettings settings, Clock clock) {
    metrics = new SimpleMeterRegistry();
    Operator started = FcOperator.create(client, ManagerSettings.defaults()
        .withServerSideApply(false)
        .withNamespaces(Set.of(namespace))
        .withReconcilerSettings(settings), clock, metrics);
    started.start();
    return started;
  }

  // ---- helpers ----

  private FunctionInstance create(String name, int instances) {
    FunctionInstance fi = Fixtures.function(name);
    fi.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    fi.getSpec().setInstances(instances);
    return client.resource(fi).create();
  }

  private FunctionInstance get(String name) {
    return client.resources(FunctionInstance.class).inNamespace(namespace).withName(name).get();
  }

  private FunctionInstance edit(String name, java.util.function.Consumer<FunctionInstance> change) {
    return FcKube.edit(client, namespace, name, change);
  }

  private List<Pod> pods(String name) {
    return client.pods().inNamespace(namespace).withLabel(Labels.FUNCTION, name).list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
  }

  private List<Pod> awaitPods(String name, int count) {
    return Await.value(count + " pods of " + name, () -> pods(name), pods -> pods.size() == count);
  }

  private FunctionInstanceStatus awaitStatus(String name, java.util.function.Predicate<FunctionInstanceStatus> accept) {
    return Await.value("status of " + name, () -> get(name).getStatus(), s -> s != null && accept.test(s));
  }

  private static Condition condition(FunctionInstanceStatus status, String type) {
    return Conditions.find(status.getConditions(), type);
  }

  private static String readyReason(FunctionInstanceStatus status) {
    Condition ready = condition(status, Conditions.READY);
    return ready == null ? null : ready.getReason();
  }

  private List<Event> events(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
  }

  private Set<String> eventReasons(String name) {
    return events(name).stream().map(Event::getReason).collect(Collectors.toSet());
  }

  /** Creation time, to the second as the API server keeps it. */
  private static Instant createdAt(Pod pod) {
    return Instant.parse(pod.getMetadata().getCreationTimestamp());
  }

  private static String hash(Pod pod) {
    return pod.getMetadata().getLabels().get(Labels.TEMPLATE_HASH);
  }

  // ---- create ----

  @Test
  void createsInstancesConfigMapsAndServiceThenReportsReady() {
    create("emoji", 2);
    List<Pod> pods = awaitPods("emoji", 2);
    assertThat(pods).allSatisfy(pod -> {
      assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(ref -> assertThat(ref.getController()).isTrue());
      assertThat(pod.getSpec().getContainers().get(0).getStartupProbe().getHttpGet().getPath()).isEqualTo("/startup");
      assertThat(pod.getSpec().getContainers().get(0).getStartupProbe().getHttpGet().getHttpHeaders())
          .singleElement().satisfies(h -> assertThat(h.getValue()).as("a secret of the pod's own")
              .matches("[A-Za-z0-9_-]{43}"));
    });
    assertThat(pods).extracting(p -> p.getSpec().getContainers().get(0).getStartupProbe().getHttpGet()
        .getHttpHeaders().get(0).getValue()).doesNotHaveDuplicates();
    assertThat(client.configMaps().inNamespace(namespace).list().getItems())
        .extracting(cm -> cm.getMetadata().getName())
        .anyMatch(n -> n.startsWith("fc-runtime-python-")).anyMatch(n -> n.startsWith("emoji-code-"));
    assertThat(client.services().inNamespace(namespace).withName("emoji").get()).isNotNull();

    FunctionInstanceStatus starting = awaitStatus("emoji", s -> "0/2".equals(s.getReady()));
    assertThat(readyReason(starting)).isEqualTo(StatusComputer.REASON_INITIALIZING);
    assertThat(starting.getSelector()).isEqualTo("fc.dev/function=emoji,fc.dev/component=instance");
    assertThat(starting.getInstanceStatuses()).extracting(i -> i.getPhase()).containsOnly("Pending");

    kubelet.initializing(pods.get(0));
    awaitStatus("emoji", s -> s.getInstanceStatuses().stream().anyMatch(i -> "Initializing".equals(i.getPhase())));
    pods.forEach(kubelet::ready);
    FunctionInstanceStatus ready = awaitStatus("emoji", s -> "2/2".equals(s.getReady()));
    assertThat(readyReason(ready)).isEqualTo(StatusComputer.REASON_READY);
    assertThat(condition(ready, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(condition(ready, Conditions.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(ready.getInstances()).isEqualTo(2);
    assertThat(ready.getReadyInstances()).isEqualTo(2);
    assertThat(ready.getInstanceStatuses()).allSatisfy(i -> {
      assertThat(i.getPhase()).isEqualTo("Ready");
      assertThat(i.getInitializer().getStatus()).isEqualTo("succeeded");
    });
    assertThat(events("emoji")).filteredOn(e -> e.getReason().equals("InstanceCreated")).hasSize(2);
  }

  @Test
  void lastTransitionTimeIsKeptWhileTheConditionHolds() {
    create("emoji", 2);
    List<Pod> pods = awaitPods("emoji", 2);
    kubelet.ready(pods.get(0));
    FunctionInstanceStatus half = awaitStatus("emoji", s -> "1/2".equals(s.getReady()));
    String since = condition(half, Conditions.READY).getLastTransitionTime();
    kubelet.ready(pods.get(1));
    FunctionInstanceStatus full = awaitStatus("emoji", s -> "2/2".equals(s.getReady()));
    assertThat(condition(full, Conditions.PROGRESSING).getLastTransitionTime())
        .isEqualTo(condition(half, Conditions.PROGRESSING).getLastTransitionTime());
    assertThat(condition(full, Conditions.READY).getLastTransitionTime()).isNotNull();
    assertThat(since).isNotNull();
  }

  // ---- scale ----

  @Test
  void scaleUpCreatesAndScaleDownDeletesNotReadyFirstThenNewest() {
    Instant now = Instant.now();
    create("emoji", 1);
    Pod oldest = awaitPods("emoji", 1).get(0);
    kubelet.ready(oldest, now.minusSeconds(60));
    edit("emoji", fi -> fi.getSpec().setInstances(4));
    List<Pod> added = awaitPods("emoji", 4).stream()
        .filter(p -> !p.getMetadata().getName().equals(oldest.getMetadata().getName())).toList();
    Pod older = added.get(0);
    Pod newer = added.get(1);
    Pod notReady = added.get(2);
    kubelet.ready(older, now.minusSeconds(30));
    kubelet.ready(newer, now.minusSeconds(10));
    kubelet.initializing(notReady);
    awaitStatus("emoji", s -> "3/4".equals(s.getReady()));

    edit("emoji", fi -> fi.getSpec().setInstances(2));
    awaitPods("emoji", 2);
    // the not-ready one went first, then the one ready most recently
    assertThat(pods("emoji")).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder(oldest.getMetadata().getName(), older.getMetadata().getName());
    awaitStatus("emoji", s -> "2/2".equals(s.getReady()) && s.getInstances() == 2);
    assertThat(events("emoji")).filteredOn(e -> e.getReason().equals("InstanceDeleted"))
        .extracting(Event::getMessage).allMatch(m -> m.endsWith("(scale down)")).hasSize(2);
  }

  @Test
  void scaleSubresourceFieldsFollowTheInstances() {
    create("emoji", 3);
    awaitPods("emoji", 3).forEach(kubelet::ready);
    FunctionInstanceStatus status = awaitStatus("emoji", s -> "3/3".equals(s.getReady()));
    assertThat(status.getInstances()).isEqualTo(3);
    assertThat(status.getSelector()).isEqualTo(Labels.instanceSelectorString("emoji"));
    edit("emoji", fi -> fi.getSpec().setInstances(0));
    awaitPods("emoji", 0);
    awaitStatus("emoji", s -> s.getInstances() == 0 && "0/0".equals(s.getReady()));
  }

  // ---- rolling update ----

  @Test
  void specChangeRollsOneInstanceAtATimeWithoutLosingReadyCapacity() {
    create("emoji", 2);
    List<Pod> old = awaitPods("emoji", 2);
    old.forEach(kubelet::ready);
    awaitStatus("emoji", s -> "2/2".equals(s.getReady()));
    String oldHash = hash(old.get(0));

    edit("emoji", fi -> fi.getSpec().setCode(Code.inline(Map.of("index.py",
        "def handler(event, context):\n    return b'v2'\n"))));
    // one surge pod of the new template; no old pod goes while it is not ready
    List<Pod> three = awaitPods("emoji", 3);
    Pod surge = three.stream().filter(p -> !hash(p).equals(oldHash)).findFirst().orElseThrow();
    FunctionInstanceStatus rolling = awaitStatus("emoji", s -> StatusComputer.REASON_ROLLING_OUT.equals(
        condition(s, Conditions.PROGRESSING).getReason()));
    assertThat(rolling.getReadyInstances()).isEqualTo(2);
    assertThat(pods("emoji")).hasSize(3);

    kubelet.ready(surge);
    // then one old pod is deleted, and a second new one is created
    Await.until("second new pod", () -> pods("emoji").stream().filter(p -> !hash(p).equals(oldHash)).count() == 2);
    assertThat(pods("emoji").stream().filter(p -> hash(p).equals(oldHash)).count()).isEqualTo(1);
    pods("emoji").stream().filter(p -> !hash(p).equals(oldHash) && !p.getMetadata().getName()
        .equals(surge.getMetadata().getName())).forEach(kubelet::ready);
    Await.until("all old pods gone", () -> pods("emoji").stream().noneMatch(p -> hash(p).equals(oldHash)));
    FunctionInstanceStatus done = awaitStatus("emoji", s -> "2/2".equals(s.getReady())
        && StatusComputer.REASON_STABLE.equals(condition(s, Conditions.PROGRESSING).getReason()));
    assertThat(done.getInstances()).isEqualTo(2);
    assertThat(eventReasons("emoji")).contains("RolloutStarted", "RolloutFinished");
    // the old code's ConfigMap went once no pod used it
    Await.until("old code ConfigMap removed", () -> client.configMaps().inNamespace(namespace).list().getItems()
        .stream().filter(cm -> cm.getMetadata().getName().startsWith("emoji-code-")).count() == 1);
  }

  // ---- failure and backoff ----

  private static final String INITIALIZER_FAILED = """
      {"exitReason":"InitializerFailed","message":"Initializer raised ZeroDivisionError: division by zero",\
      "initializer":{"status":"failed","durationMs":12,"error":"ZeroDivisionError: division by zero"}}""";

  @Test
  void aFailedInitializerIsReplacedWithGrowingBackoffAndAWarning() {
    create("emoji", 1);
    Pod first = awaitPods("emoji", 1).get(0);
    Instant failedAt = Instant.now();
    kubelet.terminated(first, 1, INITIALIZER_FAILED);

    Pod second = Await.value("replacement", () -> pods("emoji"), pods -> pods.size() == 1
        && !pods.get(0).getMetadata().getName().equals(first.getMetadata().getName())).get(0);
    FunctionInstanceStatus status = get("emoji").getStatus();
    assertThat(status.getBackoff().getConsecutiveFailures()).isEqualTo(1);
    assertThat(status.getBackoff().getDelaySeconds()).isEqualTo(1);
    Instant notBefore = Instant.parse(status.getBackoff().getNotBefore());
    assertThat(notBefore).isAfterOrEqualTo(failedAt.plusSeconds(1).truncatedTo(ChronoUnit.SECONDS));
    assertThat(createdAt(second)).as("the replacement waited for the backoff")
        .isAfterOrEqualTo(notBefore.truncatedTo(ChronoUnit.SECONDS));
    assertThat(status.getBackoff().getLastFailure()).contains("InitializerFailed").contains("ZeroDivisionError");
    assertThat(readyReason(status)).isEqualTo(StatusComputer.REASON_INITIALIZER_FAILED);
    assertThat(condition(status, Conditions.READY).getMessage()).contains("ZeroDivisionError");
    assertThat(events("emoji")).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("InitializerFailed");
      assertThat(e.getMessage()).contains("division by zero");
    });
    assertThat(eventReasons("emoji")).contains("InstanceReplaced");

    kubelet.terminated(second, 2, "{\"exitReason\":\"InitializerTimeout\",\"message\":\"timed out after 10s\"}");
    Pod third = Await.value("second replacement", () -> pods("emoji"), pods -> pods.size() == 1
        && !pods.get(0).getMetadata().getName().equals(second.getMetadata().getName())).get(0);
    var doubled = get("emoji").getStatus().getBackoff();
    assertThat(doubled.getConsecutiveFailures()).isEqualTo(2);
    assertThat(doubled.getDelaySeconds()).as("the backoff doubled").isEqualTo(2);
    assertThat(createdAt(third)).isAfterOrEqualTo(Instant.parse(doubled.getNotBefore()).truncatedTo(ChronoUnit.SECONDS));

    // an instance that stays ready resets the backoff
    kubelet.ready(third, Instant.now());
    FunctionInstanceStatus reset = Await.value("backoff reset", () -> get("emoji").getStatus(),
        s -> s.getBackoff() == null && "1/1".equals(s.getReady()));
    assertThat(readyReason(reset)).isEqualTo(StatusComputer.REASON_READY);
  }

  @Test
  void aRetiredInstanceIsReplacedToo() {
    create("emoji", 1);
    Pod first = awaitPods("emoji", 1).get(0);
    kubelet.ready(first);
    awaitStatus("emoji", s -> "1/1".equals(s.getReady()));
    kubelet.terminated(first, 3, InstanceFromPodTest.INVOCATION_TIMEOUT);
    Await.value("replacement", () -> pods("emoji"), pods -> pods.size() == 1
        && !pods.get(0).getMetadata().getName().equals(first.getMetadata().getName()));
    assertThat(eventReasons("emoji")).contains("Retired", "InstanceReplaced").doesNotContain("InitializerFailed");
    assertThat(awaitStatus("emoji", s -> s.getBackoff() != null).getBackoff().getLastFailurePhase())
        .isEqualTo("Retired");
  }

  @Test
  void anInstanceKilledForExceedingItsMemoryAfterServingIsRetiredAndTheEventSaysHowToFixIt() {
    create("emoji", 1);
    Pod first = awaitPods("emoji", 1).get(0);
    kubelet.ready(first);
    awaitStatus("emoji", s -> "1/1".equals(s.getReady()));
    // the runtime's provisional message: all a SIGKILL from the kernel leaves
    kubelet.oomKilled(first, InstanceFromPodTest.PROVISIONAL);
    Event retired = Await.value("Retired event", () -> events("emoji").stream()
        .filter(e -> e.getReason().equals("Retired")).findFirst(), java.util.Optional::isPresent).orElseThrow();
    assertThat(retired.getType()).isEqualTo("Warning");
    assertThat(retired.getMessage()).contains(first.getMetadata().getName(), "OOMKilled",
        "memory limit of 512 MiB", "after it had initialized", "raise spec.memorySize");
    assertThat(eventReasons("emoji")).doesNotContain("InitializerFailed");
    var backoff = awaitStatus("emoji", s -> s.getBackoff() != null).getBackoff();
    assertThat(backoff.getLastFailure()).contains("OOMKilled").doesNotContain("exited with status");
    assertThat(backoff.getLastFailurePhase()).isEqualTo("Retired");
  }

  @Test
  void anInstanceKilledForExceedingItsMemoryDuringItsInitializerFailedItsInitializer() {
    create("emoji", 1);
    Pod first = awaitPods("emoji", 1).get(0);
    kubelet.initializing(first);
    awaitStatus("emoji", s -> s.getInstanceStatuses().stream().anyMatch(i -> "Initializing".equals(i.getPhase())));
    kubelet.oomKilled(first, InstanceFromPodTest.LOG_TAIL); // nothing written: the kubelet gives the log's tail
    Event failed = Await.value("InitializerFailed event", () -> events("emoji").stream()
        .filter(e -> e.getReason().equals("InitializerFailed")).findFirst(), java.util.Optional::isPresent)
        .orElseThrow();
    assertThat(failed.getMessage()).contains("OOMKilled", "memory limit of 512 MiB", "before it was initialized",
        "raise spec.memorySize");
    assertThat(readyReason(awaitStatus("emoji", s -> s.getBackoff() != null)))
        .isIn(StatusComputer.REASON_INITIALIZER_FAILED, StatusComputer.REASON_INITIALIZING);
  }

  /**
   * The leader-failover bug the real node found: stopping, java-operator-sdk empties the informers' caches while a
   * reconcile may still run; one that read the emptied pod cache created a second pod next to the running one.
   * Here a reconcile is held at its first step until the stopping operator's caches are empty.
   */
  @Test
  void aReconcileRunningWhileTheOperatorStopsWritesNothingFromItsEmptiedCaches() throws InterruptedException {
    operator.stop();
    HoldingClock clock = new HoldingClock();
    operator = startOperator(FAST, clock);
    create("emoji", 1);
    Pod pod = awaitPods("emoji", 1).get(0);
    kubelet.ready(pod);
    awaitStatus("emoji", s -> "1/1".equals(s.getReady()));
    Await.until("the pod in the operator's cache", () -> cachedPods() == 1);
    int eventsBefore = events("emoji").size();

    clock.holdNextReconcile();
    kubelet.ready(pod, Instant.now().minusSeconds(30)); // a status change: the pod informer's event
    clock.awaitHeld();
    Operator stopping = operator;
    operator = null;
    Thread stopper = new Thread(stopping::stop, "test-operator-stop");
    stopper.start();
    Await.until("the stopping operator's pod cache emptied", () -> cachedPods() == 0);
    clock.release();
    stopper.join(Duration.ofSeconds(30).toMillis());

    assertThat(stopper.isAlive()).as("the operator stopped").isFalse();
    assertThat(pods("emoji")).extracting(p -> p.getMetadata().getName())
        .containsExactly(pod.getMetadata().getName());
    assertThat(events("emoji")).hasSize(eventsBefore);
  }

  private long cachedPods() {
    return metrics.find(dev.fc.operator.manager.InstanceMetrics.NAME).gauges().stream()
        .mapToLong(g -> (long) g.value()).sum();
  }

  /** The system clock, except that the reconcile that reads it next, once armed, waits for {@link #release}. */
  private static final class HoldingClock extends Clock {
    private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

    void holdNextReconcile() {
      armed.set(true);
    }

    void awaitHeld() throws InterruptedException {
      assertThat(held.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("a reconcile reached the clock").isTrue();
    }

    void release() {
      released.countDown();
    }

    @Override
    public Instant instant() {
      if (Thread.currentThread().getName().startsWith("ReconcilerExecutor") && armed.compareAndSet(true, false)) {
        held.countDown();
        try {
          released.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Instant.now();
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void anInstanceSeenReadyIsRetiredEvenWhenItsContainerLeftNoMessage() {
    create("emoji", 1);
    Pod first = awaitPods("emoji", 1).get(0);
    kubelet.ready(first);
    awaitStatus("emoji", s -> "1/1".equals(s.getReady()));
    kubelet.terminated(first, 137, InstanceFromPodTest.LOG_TAIL); // e.g. a runtime of an older operator
    Await.until("Retired event", () -> eventReasons("emoji").contains("Retired"));
    assertThat(eventReasons("emoji")).doesNotContain("InitializerFailed");
  }

  @Test
  void aFixedSpecStartsANewBackoffInsteadOfWaitingOutTheOldOne() {
    operator.stop();
    operator = startOperator(new ReconcilerSettings(Duration.ofMinutes(5), Duration.ofMinutes(5),
        Duration.ofMinutes(5)));
    create("emoji", 1);
    Pod broken = awaitPods("emoji", 1).get(0);
    kubelet.terminated(broken, 1, INITIALIZER_FAILED);
    FunctionInstanceStatus backingOff = awaitStatus("emoji", s -> s.getBackoff() != null);
    assertThat(backingOff.getBackoff().getDelaySeconds()).isEqualTo(300);
    assertThat(backingOff.getBackoff().getTemplateHash()).isEqualTo(hash(broken));
    Await.until("failed pod deleted", () -> pods("emoji").isEmpty());

    edit("emoji", fi -> fi.getSpec().setCode(Code.inline(Map.of("index.py",
        "def initialize(context):\n    pass\n\ndef handler(event, context):\n    return b'fixed'\n"))));
    // within Await's 60 s, far less than the old template's 5 minutes
    Pod fixed = awaitPods("emoji", 1).get(0);
    assertThat(hash(fixed)).isNotEqualTo(hash(broken));
    FunctionInstanceStatus fresh = awaitStatus("emoji", s -> s.getBackoff() == null);
    assertThat(condition(fresh, Conditions.PROGRESSING).getReason()).isNotEqualTo(StatusComputer.REASON_REPLACING);
    kubelet.ready(fixed);
    FunctionInstanceStatus done = awaitStatus("emoji", s -> "1/1".equals(s.getReady()));
    assertThat(condition(done, Conditions.PROGRESSING).getReason()).isEqualTo(StatusComputer.REASON_STABLE);
  }

  @Test
  void replacingDoesNotLingerOnceTheReplacementIsReady() {
    operator.stop();
    operator = startOperator(new ReconcilerSettings(Duration.ofSeconds(1), Duration.ofSeconds(8),
        Duration.ofMinutes(5)));
    create("emoji", 1);
    Pod broken = awaitPods("emoji", 1).get(0);
    kubelet.terminated(broken, 1, INITIALIZER_FAILED);
    Pod replacement = Await.value("replacement", () -> pods("emoji"), pods -> pods.size() == 1
        && !pods.get(0).getMetadata().getName().equals(broken.getMetadata().getName())).get(0);
    kubelet.ready(replacement);
    FunctionInstanceStatus ready = awaitStatus("emoji", s -> "1/1".equals(s.getReady()));
    assertThat(ready.getBackoff()).as("the count stays until the 5-minute reset").isNotNull();
    assertThat(condition(ready, Conditions.PROGRESSING).getReason()).isEqualTo(StatusComputer.REASON_STABLE);
  }

  // ---- external changes ----

  @Test
  void aPodDeletedBySomeoneElseIsRecreatedAndForeignPodsAreLeftAlone() {
    client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName("foreign").withLabels(Map.of(Labels.FUNCTION, "emoji",
            Labels.MANAGED_BY, Labels.MANAGER, Labels.COMPONENT, Labels.Components.INSTANCE)).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
        .build()).create();
    create("emoji", 2);
    List<Pod> pods = Await.value("2 owned pods", () -> pods("emoji"), p -> p.size() == 3);
    Pod victim = pods.stream().filter(p -> !p.getMetadata().getName().equals("foreign")).findFirst().orElseThrow();
    client.pods().inNamespace(namespace).withName(victim.getMetadata().getName()).delete();
    Await.value("recreated", () -> pods("emoji").stream().map(p -> p.getMetadata().getName()
            + (p.getMetadata().getDeletionTimestamp() == null ? "" : "(deleting)")).toList(),
        names -> names.size() == 3 && !names.contains(victim.getMetadata().getName()));
    assertThat(client.pods().inNamespace(namespace).withName("foreign").get()).isNotNull();
  }

  // ---- invalid spec ----

  @Test
  void anInvalidSpecIsReportedAndNoPodIsCreatedOrDeleted() {
    create("emoji", 1);
    Pod pod = awaitPods("emoji", 1).get(0);
    edit("emoji", fi -> {
      fi.getSpec().setMemorySize(100);
      fi.getSpec().setInstances(3);
    });
    FunctionInstanceStatus status = awaitStatus("emoji", s -> StatusComputer.REASON_INVALID_SPEC.equals(readyReason(s)));
    assertThat(condition(status, Conditions.READY).getMessage()).contains("spec.memorySize").contains("multiple of 64");
    assertThat(condition(status, Conditions.READY).getStatus()).isEqualTo("False");
    Await.until("InvalidSpec warning", () -> events("emoji").stream()
        .anyMatch(e -> e.getReason().equals("InvalidSpec") && e.getType().equals("Warning")));
    assertThat(pods("emoji")).extracting(p -> p.getMetadata().getName()).containsExactly(pod.getMetadata().getName());

    edit("emoji", fi -> fi.getSpec().setMemorySize(128));
    // the old pod was never ready, so it goes at once; three of the fixed template come
    Await.until("3 pods of the fixed template", () -> pods("emoji").size() == 3 && pods("emoji").stream()
        .noneMatch(p -> p.getMetadata().getName().equals(pod.getMetadata().getName())));
  }

  @Test
  void anUnknownRuntimeIsAnInvalidSpecNotACrash() {
    FunctionInstance fi = Fixtures.function("broken");
    fi.setMetadata(new ObjectMetaBuilder().withName("broken").withNamespace(namespace).build());
    fi.getSpec().setRuntime("python2.7");
    client.resource(fi).create();
    create("fine", 1);
    awaitPods("fine", 1);
    FunctionInstanceStatus status = awaitStatus("broken", s -> StatusComputer.REASON_INVALID_SPEC.equals(readyReason(s)));
    assertThat(condition(status, Conditions.READY).getMessage()).contains("spec.runtime");
  }

  // ---- restart ----

  @Test
  void afterARestartTheOperatorAdoptsExistingPodsInsteadOfCreatingMore() {
    create("emoji", 3);
    List<Pod> before = awaitPods("emoji", 3);
    operator.stop();
    operator = startOperator();
    before.forEach(kubelet::ready);
    awaitStatus("emoji", s -> "3/3".equals(s.getReady()));
    assertThat(pods("emoji")).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(before.stream().map(p -> p.getMetadata().getName()).toList());
  }

  // ---- deletion ----

  @Test
  void everythingCreatedIsOwnedSoTheGarbageCollectorRemovesIt() {
    FunctionInstance fi = create("emoji", 1);
    awaitPods("emoji", 1);
    Await.until("service", () -> client.services().inNamespace(namespace).withName("emoji").get() != null);
    String uid = fi.getMetadata().getUid();
    List<Pod> pods = pods("emoji");
    List<ConfigMap> configMaps = client.configMaps().inNamespace(namespace).list().getItems();
    Service service = client.services().inNamespace(namespace).withName("emoji").get();
    assertThat(pods).allSatisfy(p -> assertThat(Ownership.controlledBy(p, uid)).isTrue());
    assertThat(configMaps).hasSize(2).allSatisfy(cm -> assertThat(ConfigMapFactory.isSharedRuntime(cm)
        ? SharedRuntimeOwners.ownedBy(cm, uid) : Ownership.controlledBy(cm, uid)).isTrue());
    assertThat(Ownership.controlledBy(service, uid)).isTrue();
    assertThat(pods.get(0).getMetadata().getOwnerReferences().get(0).getBlockOwnerDeletion()).isTrue();
    assertThat(get("emoji").getMetadata().getFinalizers()).as("no finalizer: deletion is left to the GC").isEmpty();
  }

  // ---- status writes ----

  private double reconcilesFinished() {
    return metrics.find("operator.sdk.reconciliations.success").counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  @Test
  void aNoOpReconcileWritesNothingAndLogsNothingAtInfo() {
    create("emoji", 1);
    Pod pod = awaitPods("emoji", 1).get(0);
    kubelet.ready(pod);
    awaitStatus("emoji", s -> "1/1".equals(s.getReady()));
    String resourceVersion = get("emoji").getMetadata().getResourceVersion();

    Logger logger = (Logger) LoggerFactory.getLogger(FunctionInstanceReconciler.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      double before = reconcilesFinished();
      // a pod event that changes nothing the status shows: the operator reconciles, and does nothing
      client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
          .edit(p -> new PodBuilder(p).editMetadata().addToAnnotations("touched", "yes").endMetadata().build());
      Await.until("a reconcile after the pod event", () -> reconcilesFinished() > before);
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(logs.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).isEmpty();
    assertThat(get("emoji").getMetadata().getResourceVersion()).as("no status write").isEqualTo(resourceVersion);
  }
}
