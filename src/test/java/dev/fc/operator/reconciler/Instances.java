package dev.fc.operator.reconciler;

import dev.fc.operator.api.ColdStart;
import dev.fc.operator.api.InstancePhase;
import dev.fc.operator.contract.TerminationMessage;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;

/** ObservedInstances and pods for planner and expectation tests. */
final class Instances {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Instances() {}

  static Pod pod(String name, String hash, Instant created) {
    return new PodBuilder().withMetadata(new ObjectMetaBuilder()
            .withName(name).withUid("uid-" + name).withNamespace("ns")
            .withCreationTimestamp(created.toString())
            .addToLabels("fc.dev/template-hash", hash)
            .withOwnerReferences(new OwnerReferenceBuilder().withUid("fi").withController(true).build())
            .build())
        .build();
  }

  static ObservedInstance of(String name, String hash, InstancePhase phase, Instant created, Instant readySince) {
    return new ObservedInstance(pod(name, hash, created), name, "uid-" + name, hash, created, phase, readySince,
        null);
  }

  static ObservedInstance ready(String name, String hash, int createdSecond, int readySecond) {
    return of(name, hash, InstancePhase.Ready, T0.plusSeconds(createdSecond), T0.plusSeconds(readySecond));
  }

  static ObservedInstance starting(String name, String hash, int createdSecond) {
    return of(name, hash, InstancePhase.Initializing, T0.plusSeconds(createdSecond), null);
  }

  static ObservedInstance failed(String name, String hash, int createdSecond) {
    return ended(name, hash, createdSecond, InstancePhase.InitializerFailed, 1,
        new TerminationMessage("InitializerFailed", "boom", null, null, null, false, null));
  }

  /** Retired after an invocation timeout. */
  static ObservedInstance retired(String name, String hash, int createdSecond) {
    return ended(name, hash, createdSecond, InstancePhase.Retired, 3,
        new TerminationMessage("InvocationTimeout", "invocation ran past 3 s", null, null, null, true, null));
  }

  /** Stopped after it served, its runtime reporting its start's phases. */
  static ObservedInstance stopped(String name, String hash, int createdSecond, ColdStart coldStart) {
    return ended(name, hash, createdSecond, InstancePhase.Retired, 0,
        new TerminationMessage("Stopped", "Stopped by SIGTERM", null, null, null, true, coldStart));
  }

  private static ObservedInstance ended(String name, String hash, int createdSecond, InstancePhase phase,
      int exitCode, TerminationMessage message) {
    return new ObservedInstance(pod(name, hash, T0.plusSeconds(createdSecond)), name, "uid-" + name, hash,
        T0.plusSeconds(createdSecond), phase, null,
        new Termination(exitCode, "Error", null, null, message, 512L));
  }
}
