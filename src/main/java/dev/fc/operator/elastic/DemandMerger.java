package dev.fc.operator.elastic;

import dev.fc.operator.elastic.DemandReport.InstanceActivity;
import dev.fc.operator.elastic.FunctionDemand.PodActivity;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Merges the gateway replicas' latest reports into one function's {@link FunctionDemand}. Pure. */
public final class DemandMerger {
  private DemandMerger() {}

  /**
   * A replica's latest report and when the operator received it; its idle durations count from then.
   */
  public record Received(DemandReport report, Instant at) {}

  /**
   * @param reports the latest report of each replica that answered
   * @param complete whether every known replica has answered lately
   */
  public static FunctionDemand merge(String namespace, String name, Collection<Received> reports, boolean complete) {
    int inFlight = 0;
    int queued = 0;
    Map<String, PodActivity> pods = new HashMap<>();
    for (Received received : reports) {
      for (DemandReport.FunctionDemand function : received.report().functions()) {
        if (!namespace.equals(function.namespace()) || !name.equals(function.name())) {
          continue;
        }
        inFlight += function.inFlight();
        queued += function.queued();
        for (InstanceActivity activity : function.instances()) {
          PodActivity seen = new PodActivity(activity.inFlight(),
              received.at().minusMillis(Math.max(0, activity.idleMillis())));
          pods.merge(activity.pod(), seen, (a, b) -> new PodActivity(a.inFlight() + b.inFlight(),
              a.lastActive().isAfter(b.lastActive()) ? a.lastActive() : b.lastActive()));
        }
      }
    }
    return new FunctionDemand(inFlight, queued, pods, complete);
  }
}
