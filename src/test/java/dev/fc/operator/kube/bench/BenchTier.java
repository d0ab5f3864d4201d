package dev.fc.operator.kube.bench;

import dev.fc.operator.kube.KubeTier;
import java.util.List;

/**
 * The kube tier as a production control plane would run it, for the scale benchmark: kube-apiserver's in-flight
 * limits at their defaults (written out), etcd's backend quota at its documented maximum recommendation (8 GiB), a
 * Service range of a /16 (65,534 Services; the ITs' /24 holds 254), and three audited users with static tokens in
 * group system:masters: the operator, the bare client, and the user who creates the operator's FunctionInstances.
 */
final class BenchTier {
  static final String OPERATOR = "fc-operator";
  static final String BARE = "fc-bare";
  static final String USER = "fc-user";
  static final String SERVICE_RANGE = "10.0.0.0/16";
  static final List<String> ETCD_FLAGS = List.of("--quota-backend-bytes=8589934592");
  static final List<String> API_SERVER_FLAGS = List.of("--max-requests-inflight=400",
      "--max-mutating-requests-inflight=200");
  /**
   * kube-controller-manager's client rate, raised from 20 (burst 30) as large clusters raise it: its endpoints,
   * endpointslice, garbage-collector and namespace controllers write two objects per Service and delete four per
   * function, which at 20 a second took longer than the functions' creation itself at 3,000.
   */
  static final List<String> CONTROLLER_MANAGER_FLAGS = List.of("--kube-api-qps=200", "--kube-api-burst=400");

  private BenchTier() {}

  static KubeTier.Options options() {
    return KubeTier.Options.defaults()
        .withServiceClusterIpRange(SERVICE_RANGE)
        .withEtcdFlags(ETCD_FLAGS.toArray(String[]::new))
        .withApiServerFlags(API_SERVER_FLAGS.toArray(String[]::new))
        .withControllerManagerFlags(CONTROLLER_MANAGER_FLAGS.toArray(String[]::new))
        .withUser(OPERATOR, "system:masters")
        .withUser(BARE, "system:masters")
        .withUser(USER, "system:masters")
        .withAuditPolicy(AuditLog.policyFor(OPERATOR, BARE, USER));
  }

  /** One line for the report. */
  static String describe() {
    return "kube-apiserver " + String.join(" ", API_SERVER_FLAGS) + " --service-cluster-ip-range=" + SERVICE_RANGE
        + " (audit: Metadata, users " + OPERATOR + ", " + BARE + ", " + USER + "); etcd "
        + String.join(" ", ETCD_FLAGS) + "; kube-controller-manager " + String.join(" ", CONTROLLER_MANAGER_FLAGS);
  }
}
