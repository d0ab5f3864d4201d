package dev.fc.operator.realnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fc.operator.Await;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.Labels;
import dev.fc.operator.kube.FcKube;
import dev.fc.operator.kube.PodWatch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator as users install it: the image Jib built, installed with its chart (2 replicas, leader election)
 * and once from {@code deploy/}, running in the cluster under its own RBAC, probes, read-only root and uid.
 */
@ExtendWith(RealNodeExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorInstallIT {
  private static final String NS = "rn-install";
  private static RealNode node;

  @BeforeAll
  static void namespace(RealNode realNode) {
    node = realNode;
    node.namespace(NS);
  }

  @Test
  @Order(1)
  void theOperatorRunsAsItsChartSaysNonRootReadOnlyAndReady() throws IOException {
    List<Pod> pods = node.operatorPods();
    assertEquals(2, pods.size());
    for (Pod pod : pods) {
      assertTrue(FcKube.isReady(pod), "its readiness probe passes: " + pod.getStatus());
      Container container = pod.getSpec().getContainers().get(0);
      assertEquals(RealNode.operatorImage(), container.getImage());
      assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
      // the process itself, found by its pod's cgroup on this machine: it runs as uid 10001
      String containerId = pod.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst(".*://", "");
      List<String> uids = processUids(containerId);
      assertTrue(!uids.isEmpty() && uids.stream().allMatch("10001"::equals), "uids of the pod's processes: " + uids);
    }
  }

  @Test
  @Order(2)
  // Known bug (docs/realnode.md): in about one run in five a pod is created twice around the leader's death.
  // CI skips this test until it is fixed (.ci/run); run it by hand without the property.
  void whenTheLeaderDiesTheStandbyTakesOverWithNoDuplicatePods() {
    String leader = leaseHolder();
    assertTrue(node.operatorPods().stream().anyMatch(p -> p.getMetadata().getName().equals(leader)),
        "the lease holder " + leader + " is one of the operator's pods");
    FunctionInstance fi = FcKube.function(NS, "ha", 1);
    try (PodWatch watch = PodWatch.start(node.client(), NS, Labels.FUNCTION + "=ha")) {
      node.apply(fi);
      node.awaitReadyPods(NS, "ha", 1);
      node.client().pods().inNamespace(RealNode.OPERATOR_NAMESPACE).withName(leader).delete();
      String next = Await.value("a new lease holder", RealNode.SLOW, OperatorInstallIT::leaseHolder,
          h -> h != null && !h.equals(leader));
      assertNotEquals(leader, next);
      FcKube.edit(node.client(), NS, "ha", f -> f.getSpec().setInstances(3));
      node.awaitReadyPods(NS, "ha", 3);
      FcKube.awaitStatus(node.client(), NS, "ha", "3/3", s -> FcKube.settled(s, 3));
      assertEquals(3, watch.maxLive(), "never more pods than instances:\n" + watch.timeline());
      assertEquals(3, watch.seen().size(), "no pod created twice:\n" + watch.timeline());
    }
    node.awaitOperatorPodsReady(2);
    FcKube.fi(node.client(), NS, "ha").delete();
    Await.until("ha's pods gone", () -> FcKube.pods(node.client(), NS, "ha").isEmpty(), RealNode.SLOW);
  }

  @Test
  @Order(3)
  void deployManifestsInstallAWorkingOperatorToo() {
    node.uninstallOperator();
    List<HasMetadata> manifests = deployManifests();
    try {
      for (HasMetadata object : manifests) {
        node.client().resource(object).fieldManager("kubectl").forceConflicts().serverSideApply();
      }
      node.awaitOperatorPodsReady(1);
      node.apply(FcKube.function(NS, "viadeploy", 1));
      node.awaitReadyPods(NS, "viadeploy", 1);
      FcKube.awaitStatus(node.client(), NS, "viadeploy", "1/1", s -> FcKube.settled(s, 1));
      FcKube.fi(node.client(), NS, "viadeploy").delete();
      Await.until("viadeploy's pods gone", () -> FcKube.pods(node.client(), NS, "viadeploy").isEmpty(),
          RealNode.SLOW);
    } finally {
      List<HasMetadata> reversed = new ArrayList<>(manifests);
      java.util.Collections.reverse(reversed);
      reversed.forEach(o -> node.client().resource(o).delete());
      Await.until("namespace " + RealNode.OPERATOR_NAMESPACE + " gone",
          () -> node.client().namespaces().withName(RealNode.OPERATOR_NAMESPACE).get() == null, RealNode.SLOW);
      node.installOperator(2);
    }
  }

  private static List<HasMetadata> deployManifests() {
    try (Stream<Path> files = Files.list(Path.of("deploy"))) {
      List<HasMetadata> objects = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        objects.addAll(node.client().load(Files.newInputStream(file)).items());
      }
      return objects;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String leaseHolder() {
    Lease lease = node.client().leases().inNamespace(RealNode.OPERATOR_NAMESPACE).withName(RealNode.RELEASE).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The real uid of every process in the container's cgroup (cgroupfs driver: its ID ends the path). */
  private static List<String> processUids(String containerId) throws IOException {
    List<String> uids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (Files.readString(proc.resolve("cgroup")).contains(containerId)) {
            Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[1]).forEach(uids::add);
          }
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    }
    return uids;
  }
}
