package dev.fc.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An informer store that keeps a pruned copy of each object: only the fields the operator reads. What an
 * event handler receives is untouched; what the cache holds (and reconciles read) is small.
 */
public final class PruningItemStore<T extends HasMetadata> extends BasicItemStore<T> {
  private final UnaryOperator<T> prune;
  private final Consumer<T> removed;

  public PruningItemStore(UnaryOperator<T> prune) {
    this(prune, gone -> {});
  }

  /** @param removed told of each object the cache dropped (deleted, or gone from a new listing), after it did */
  public PruningItemStore(UnaryOperator<T> prune, Consumer<T> removed) {
    super(Cache::metaNamespaceKeyFunc);
    this.prune = prune;
    this.removed = removed;
  }

  @Override
  public T put(String key, T obj) {
    return super.put(key, prune.apply(obj));
  }

  @Override
  public T remove(String key) {
    T gone = super.remove(key);
    if (gone != null) {
      removed.accept(gone);
    }
    return gone;
  }
}
