package dev.fc.operator.reconciler;

/**
 * Open while the operator runs; closed when it starts to stop, before its caches are torn down.
 *
 * <p>Stopping, java-operator-sdk stops the informers and empties their caches (InformerManager.stop clears its
 * sources) while a reconcile may still run. A reconcile that reads a pod cache emptied that way sees no pods
 * and would create a second instance next to the running one, for the next leader to delete. So the
 * reconciler reads every cache first and then asks the gate: closed means what it read may be torn down,
 * and it writes nothing. The gate is closed before the caches are, so a read of an emptied cache is always
 * followed by a closed gate.
 */
public final class WriteGate {
  private volatile boolean closed;

  /** Closes the gate for good: the operator is stopping. */
  public void close() {
    closed = true;
  }

  public boolean closed() {
    return closed;
  }
}
