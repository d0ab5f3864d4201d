package dev.fc.operator.elastic;

import dev.fc.operator.elastic.FunctionDemand.PodActivity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * FC's elastic instance model as one pure function (docs/elastic.md, "The decision"): from an elastic function's
 * bounds, the count chosen before, its live instances and the demand the gateways report, to the count from now
 * on and the idle instances to reclaim.
 *
 * <ul>
 *   <li>Invocations in flight and held need {@code ceil(invocations / instanceConcurrency)} instances; more are
 *       created only when those are more than there are ("a new instance is created only when the existing ones
 *       are full").
 *   <li>The count never falls for lack of demand alone: an instance goes when it has served nothing for
 *       {@code idleTimeout} (and has nothing in flight), the idlest first, never below {@code minInstances} nor
 *       below what the demand needs. Only when every gateway replica answered lately, so a busy instance never
 *       looks idle.
 *   <li>An ended instance (Initializer failed, retired, deleted) is replaced only while invocations need it: FC's
 *       "when you invoke the function next time, the system creates another function instance".
 *   <li>{@code minInstances} and {@code maxInstances} bound the count.
 * </ul>
 */
public final class ScalingDecider {
  /** How soon to look again at an instance that would be reclaimed but for a silent gateway replica. */
  static final Duration SILENT_GATEWAY_RECHECK = Duration.ofSeconds(1);

  private ScalingDecider() {}

  /**
   * @param previousDesired the count chosen before ({@code status.scaling.desiredInstances}), or null when the
   *     function has just become elastic
   * @param live the instances that are neither terminating nor ended, of any template
   */
  public static ScalingDecision decide(ElasticBounds bounds, Integer previousDesired, List<InstanceView> live,
      FunctionDemand demand, Instant now) {
    int base = previousDesired == null ? live.size() : Math.min(previousDesired, live.size());
    int need = ceilDiv(demand.invocations(), bounds.instanceConcurrency());
    int desired = Math.max(base, need);
    ScalingReason reason = need > base ? ScalingReason.Demand
        : previousDesired == null ? ScalingReason.Initial
        : base < previousDesired ? ScalingReason.InstanceEnded : null;
    if (desired > bounds.maxInstances()) {
      desired = bounds.maxInstances();
      reason = ScalingReason.MaxInstances;
    }
    if (desired < bounds.minInstances()) {
      desired = bounds.minInstances();
      reason = ScalingReason.MinInstances;
    }

    int floor = Math.max(bounds.minInstances(), Math.min(need, bounds.maxInstances()));
    List<Idle> idle = new ArrayList<>();
    Duration recheck = null;
    for (InstanceView instance : live) {
      if (!instance.ready()) {
        continue;
      }
      PodActivity activity = demand.pods().get(instance.pod());
      if (activity != null && activity.inFlight() > 0) {
        continue;
      }
      // A ready instance without a ready time (none in a kubelet's status) counts as active now: never reclaimed
      // on a guess.
      Instant lastActive = latest(instance.readySince() == null ? now : instance.readySince(),
          activity == null ? null : activity.lastActive());
      Duration idleFor = Duration.between(lastActive, now);
      if (idleFor.compareTo(bounds.idleTimeout()) >= 0) {
        idle.add(new Idle(instance.pod(), lastActive, idleFor));
      } else {
        recheck = earliest(recheck, bounds.idleTimeout().minus(idleFor));
      }
    }
    idle.sort(Comparator.comparing(Idle::lastActive).thenComparing(Idle::pod));

    List<String> reclaim = new ArrayList<>();
    if (desired > floor && !idle.isEmpty()) {
      if (demand.complete()) {
        idle.subList(0, Math.min(desired - floor, idle.size())).forEach(i -> reclaim.add(i.pod()));
        desired -= reclaim.size();
        reason = ScalingReason.IdleReclaim;
      } else {
        recheck = earliest(recheck, SILENT_GATEWAY_RECHECK);
      }
    }
    if (desired <= floor) {
      recheck = null;
    }
    if (previousDesired != null && desired == previousDesired && reclaim.isEmpty()) {
      reason = null;
    }
    String message = message(bounds, demand, need, previousDesired, desired, idle, reclaim);
    return new ScalingDecision(desired, reason, message, reclaim, recheck);
  }

  private static String message(ElasticBounds bounds, FunctionDemand demand, int need, Integer previous, int desired,
      List<Idle> idle, List<String> reclaim) {
    StringBuilder text = new StringBuilder();
    text.append(demand.invocations()).append(" invocations (").append(demand.inFlight()).append(" in flight, ")
        .append(demand.queued()).append(" held) at ").append(bounds.instanceConcurrency())
        .append(" per instance need ").append(need).append("; ")
        .append(previous == null ? "none chosen before" : "had " + previous).append(", now ").append(desired);
    if (!reclaim.isEmpty()) {
      text.append("; reclaimed ");
      for (Idle i : idle) {
        if (reclaim.contains(i.pod())) {
          text.append(reclaim.indexOf(i.pod()) == 0 ? "" : ", ").append(i.pod())
              .append(" (idle ").append(i.idleFor().toSeconds()).append("s)");
        }
      }
      text.append(" after idleTimeout ").append(bounds.idleTimeout().toSeconds()).append("s");
    }
    if (!demand.complete()) {
      text.append("; a gateway replica is silent, so nothing is reclaimed");
    }
    text.append("; bounds ").append(bounds.minInstances()).append("..").append(bounds.maxInstances());
    return text.toString();
  }

  private record Idle(String pod, Instant lastActive, Duration idleFor) {}

  private static int ceilDiv(int a, int b) {
    return a <= 0 ? 0 : (a + b - 1) / b;
  }

  private static Instant latest(Instant a, Instant b) {
    return b == null || a.isAfter(b) ? a : b;
  }

  private static Duration earliest(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }
}
