package dev.fc.operator.manager;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this replica leads. A standby (leader election on, Lease held by another replica) runs no
 * informers, so their health says nothing about it: it is alive as long as it answers.
 */
public final class Leadership {
  private final AtomicBoolean electionEnabled = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();

  LeaderCallbacks callbacks() {
    electionEnabled.set(true);
    return new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), identity -> { });
  }

  public boolean standby() {
    return electionEnabled.get() && !leading.get();
  }
}
