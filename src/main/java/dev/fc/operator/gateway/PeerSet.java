package dev.fc.operator.gateway;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ready gateway replicas this one knows of (itself among them when it is ready), and so which one owns
 * a function ({@link Ownership}). No peers known: this replica owns every function. Filled by
 * {@link PeerPods} in a cluster, by a test directly.
 */
public final class PeerSet {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSet.class);
  private final String self;
  private volatile Map<String, Peer> ready = Map.of();

  public PeerSet(String self) {
    this.self = self;
  }

  /** This replica's name, which it finds itself by among the peers. */
  public String self() {
    return self;
  }

  /** The ready replicas now, this one included when it is ready. */
  public void replace(Collection<Peer> peers) {
    Map<String, Peer> next = new TreeMap<>();
    peers.forEach(p -> next.put(p.name(), p));
    Map<String, Peer> previous = ready;
    ready = Map.copyOf(next);
    if (!previous.keySet().equals(next.keySet())) {
      LOG.info("gateway replicas now: {}{}", next.isEmpty() ? "none (this one serves every function)"
          : String.join(", ", next.keySet()), next.isEmpty() || next.containsKey(self) ? ""
          : " (not yet " + self + " itself: it forwards every invocation)");
    }
  }

  /** The replica owning {@code key}, or empty when it is this one (or no replica is known). */
  public Optional<Peer> ownerOf(FunctionKey key) {
    Map<String, Peer> now = ready;
    if (now.isEmpty()) {
      return Optional.empty();
    }
    String owner = Ownership.owner(key, now.keySet());
    return owner.equals(self) ? Optional.empty() : Optional.of(now.get(owner));
  }
}
