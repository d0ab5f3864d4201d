package dev.fc.operator.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Which gateway replica owns a function: rendezvous (highest random weight) hashing of the function's
 * {@code namespace/name} with each replica's name. Every replica computes the same owner from the same set;
 * when a replica leaves only its functions move, and a new one takes only the functions it now wins. The
 * hash is spelled out here (FNV-1a 64 then the SplitMix64 finaliser), not the JVM's, so that it never changes
 * between replicas or versions. Pure.
 */
public final class Ownership {
  private Ownership() {}

  /** The owner of {@code key} among {@code replicas} (names, not empty); the highest weight, ties by name. */
  public static String owner(FunctionKey key, Collection<String> replicas) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("no replicas to choose the owner of " + key + " from");
    }
    String best = null;
    long bestWeight = 0;
    for (String replica : replicas) {
      long w = weight(key, replica);
      int byWeight = best == null ? 1 : Long.compareUnsigned(w, bestWeight);
      if (byWeight > 0 || byWeight == 0 && replica.compareTo(best) < 0) {
        best = replica;
        bestWeight = w;
      }
    }
    return best;
  }

  static long weight(FunctionKey key, String replica) {
    long h = 0xcbf29ce484222325L;
    for (byte b : (key.namespace() + "/" + key.name() + "\n" + replica).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
