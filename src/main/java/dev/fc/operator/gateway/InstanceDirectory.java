package dev.fc.operator.gateway;

import dev.fc.operator.elastic.DemandReport;
import dev.fc.operator.elastic.DemandReport.FunctionDemand;
import dev.fc.operator.elastic.DemandReport.InstanceActivity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The functions and instances this gateway routes to, their slots and the invocations held for one: the
 * gateway's state, in memory, without Kubernetes (the informers only call {@code put}/{@code remove}).
 *
 * <p>Rules (docs/gateway.md): an instance runs at most {@code instanceConcurrency} invocations of this gateway
 * at once, and only a {@link RoutedInstance#serving() serving} one takes any. An invocation takes the instance
 * with a free slot that has the <em>most</em> in flight (packing, so surplus instances go idle), the most
 * recently active on a tie. With no free slot it is held, first in first out per function, until a slot frees
 * or an instance becomes ready, at most {@link RoutedFunction#holdBound()}. An initializing instance whose pod
 * carries its lifecycle token is watched (one {@link StartupWatch} each) and serves as soon as its Initializer
 * succeeded, before its pod is Ready; its pod going away or ending wins over that. An instance that ends with
 * InitializerFailed fails the oldest held invocations, as many as it would have served; while the function's
 * backoff after an Initializer failure lasts and no instance serves, invocations fail at once.
 *
 * <p>Thread-safe; futures are completed outside the lock.
 */
public final class InstanceDirectory {
  private final Clock clock;
  private final Timers timers;
  private final DirectoryEvents events;
  private final StartupWatch startupWatch;
  /** How much longer than the Initializer's timeout an initializing instance is watched. */
  static final int STARTUP_WATCH_MARGIN_SECONDS = 15;
  private final Map<FunctionKey, FunctionState> functions = new HashMap<>();
  private final List<CompletableFuture<Long>> changeWaiters = new ArrayList<>();
  private long version = 1;
  private long activity;

  public InstanceDirectory(Clock clock, Timers timers, DirectoryEvents events) {
    this(clock, timers, events, StartupWatch.NONE);
  }

  /** With {@code startupWatch}, an initializing instance takes invocations as soon as its Initializer succeeded. */
  public InstanceDirectory(Clock clock, Timers timers, DirectoryEvents events, StartupWatch startupWatch) {
    this.clock = clock;
    this.timers = timers;
    this.events = events;
    this.startupWatch = startupWatch;
  }

  /** What the directory tells its metrics about the functions it has. */
  public interface DirectoryEvents {
    DirectoryEvents NONE = new DirectoryEvents() {};

    default void functionAdded(FunctionKey key) {}

    default void functionRemoved(FunctionKey key) {}
  }

  // ---- invocations ----------------------------------------------------------------------------

  /**
   * A slot for one invocation of {@code key}: at once when an instance has one free, else once one frees. The
   * future fails with {@link GatewayError.Failure} when the function is unknown, its Initializer failed, or the
   * hold's bound ran out.
   */
  public CompletableFuture<Slot> acquire(FunctionKey key) {
    List<Runnable> effects = new ArrayList<>();
    CompletableFuture<Slot> result;
    synchronized (this) {
      FunctionState fs = functions.get(key);
      if (fs == null) {
        return failed(GatewayError.functionNotFound(key));
      }
      GatewayError blocked = backoffError(fs);
      if (blocked != null) {
        return failed(blocked);
      }
      InstanceState free = choose(fs);
      fs.routed = true;
      if (free != null) {
        result = CompletableFuture.completedFuture(take(fs, free, false, Duration.ZERO));
      } else {
        Hold hold = new Hold(clock.millis());
        fs.holds.addLast(hold);
        hold.cancelTimer = timers.schedule(fs.function.holdBound(), () -> expire(key, hold));
        result = hold.future;
      }
      bump(effects);
    }
    effects.forEach(Runnable::run);
    return result;
  }

  /** Gives the slot back; a second call does nothing. */
  public void release(Slot slot) {
    if (!slot.released.compareAndSet(false, true)) {
      return;
    }
    List<Runnable> effects = new ArrayList<>();
    synchronized (this) {
      InstanceState state = slot.state;
      state.inFlight--;
      state.activity = ++activity;
      state.idleSinceMillis = clock.millis();
      FunctionState fs = functions.get(slot.function().key());
      if (fs != null && state.owner == fs) {
        fs.inFlight--;
        dispatch(fs, effects);
      }
      bump(effects);
    }
    effects.forEach(Runnable::run);
  }

  private void expire(FunctionKey key, Hold hold) {
    List<Runnable> effects = new ArrayList<>();
    synchronized (this) {
      FunctionState fs = functions.get(key);
      if (fs == null || !fs.holds.remove(hold)) {
        return;
      }
      GatewayError error = expiryError(fs, Duration.ofMillis(clock.millis() - hold.sinceMillis));
      effects.add(() -> hold.future.completeExceptionally(new GatewayError.Failure(error)));
      bump(effects);
    }
    effects.forEach(Runnable::run);
  }

  // ---- what the informers tell ----------------------------------------------------------------

  /** Adds or updates a function. A new uid (the FunctionInstance was recreated) drops the old one's instances. */
  public void putFunction(RoutedFunction function) {
    List<Runnable> effects = new ArrayList<>();
    boolean added = false;
    synchronized (this) {
      FunctionState fs = functions.get(function.key());
      if (fs == null) {
        fs = new FunctionState(function);
        functions.put(function.key(), fs);
        added = true;
      } else if (!fs.function.uid().equals(function.uid())) {
        fs.instances.values().forEach(s -> forget(s, effects));
        fs.instances.clear();
        fs.inFlight = 0;
        fs.function = function;
        bump(effects);
      } else {
        fs.function = function;
      }
      failHeldWhileBackoff(fs, effects);
      dispatch(fs, effects);
    }
    if (added) {
      events.functionAdded(function.key());
    }
    effects.forEach(Runnable::run);
  }

  /** The function is gone: its held invocations get FunctionNotFound, it leaves the demand report. */
  public void removeFunction(FunctionKey key) {
    List<Runnable> effects = new ArrayList<>();
    FunctionState fs;
    synchronized (this) {
      fs = functions.remove(key);
      if (fs == null) {
        return;
      }
      fs.instances.values().forEach(s -> forget(s, effects));
      GatewayError gone = GatewayError.functionNotFound(key);
      failHolds(fs, fs.holds.size(), gone, effects);
      bump(effects);
    }
    events.functionRemoved(key);
    effects.forEach(Runnable::run);
  }

  /** Adds or updates an instance of a known function (an unknown function's is ignored). */
  public void putInstance(FunctionKey key, RoutedInstance instance) {
    List<Runnable> effects = new ArrayList<>();
    synchronized (this) {
      FunctionState fs = functions.get(key);
      if (fs == null) {
        return;
      }
      InstanceState state = fs.instances.get(instance.pod());
      boolean newlyFailed = instance.initializerFailed() && (state == null || !state.instance.initializerFailed());
      if (state == null) {
        state = new InstanceState(fs, instance, clock.millis());
        fs.instances.put(instance.pod(), state);
      }
      state.instance = instance;
      if (instance.ready() || !instance.live()) {
        state.initialized = false; // from now on its pod tells: Ready, going away or ended
        effects.add(stopWatching(state));
      } else if (instance.initializing() && !state.watched) {
        state.watched = true;
        startWatching(fs, state, effects);
      }
      if (newlyFailed) {
        String message = instance.terminationMessage() != null && !instance.terminationMessage().isBlank()
            ? instance.terminationMessage()
            : "instance " + instance.pod() + " of " + key + " failed to initialize";
        failHolds(fs, fs.function.instanceConcurrency(), GatewayError.initialization(message), effects);
      }
      failHeldWhileBackoff(fs, effects);
      dispatch(fs, effects);
      if (state.routedTo) {
        bump(effects);
      }
    }
    effects.forEach(Runnable::run);
  }

  public void removeInstance(FunctionKey key, String pod) {
    List<Runnable> effects = new ArrayList<>();
    synchronized (this) {
      FunctionState fs = functions.get(key);
      InstanceState state = fs == null ? null : fs.instances.remove(pod);
      if (state == null) {
        return;
      }
      forget(state, effects);
      fs.inFlight -= state.inFlight;
      if (state.routedTo) {
        bump(effects);
      }
    }
    effects.forEach(Runnable::run);
  }

  /** The pods of {@code key} the directory has, for a resync. */
  public synchronized List<String> instancePods(FunctionKey key) {
    FunctionState fs = functions.get(key);
    return fs == null ? List.of() : List.copyOf(fs.instances.keySet());
  }

  public synchronized boolean hasFunction(FunctionKey key) {
    return functions.containsKey(key);
  }

  /** What is known of the function, if it is watched. */
  public synchronized java.util.Optional<RoutedFunction> function(FunctionKey key) {
    FunctionState fs = functions.get(key);
    return fs == null ? java.util.Optional.empty() : java.util.Optional.of(fs.function);
  }

  // ---- the early mark: the Initializer succeeded before the pod is Ready --------------------------------

  private void startWatching(FunctionState fs, InstanceState state, List<Runnable> effects) {
    RoutedInstance instance = state.instance;
    Duration within = Duration.ofSeconds(fs.function.initializerTimeoutSeconds() + STARTUP_WATCH_MARGIN_SECONDS);
    effects.add(() -> {
      Runnable cancel = startupWatch.watch(instance.pod(), instance.startup(), within,
          () -> stillInitializing(state), () -> initializerSucceeded(state));
      boolean stale;
      synchronized (this) {
        stale = !stillInitializingLocked(state);
        if (!stale) {
          state.cancelWatch = cancel;
        }
      }
      if (stale) {
        cancel.run();
      }
    });
  }

  private synchronized boolean stillInitializing(InstanceState state) {
    return stillInitializingLocked(state);
  }

  private static boolean stillInitializingLocked(InstanceState state) {
    return state.owner != null && !state.initialized && state.instance.initializing();
  }

  /** The watch's answer: the instance serves now, and held invocations go to it at once. */
  private void initializerSucceeded(InstanceState state) {
    List<Runnable> effects = new ArrayList<>();
    synchronized (this) {
      if (!stillInitializingLocked(state)) {
        return;
      }
      state.initialized = true;
      state.cancelWatch = () -> {};
      dispatch(state.owner, effects);
    }
    effects.forEach(Runnable::run);
  }

  /** The instance left the directory: it takes nothing more, and its watch stops. */
  private static void forget(InstanceState state, List<Runnable> effects) {
    state.owner = null;
    effects.add(stopWatching(state));
  }

  private static Runnable stopWatching(InstanceState state) {
    Runnable cancel = state.cancelWatch;
    state.cancelWatch = () -> {};
    return cancel;
  }

  // ---- demand ---------------------------------------------------------------------------------

  public synchronized long version() {
    return version;
  }

  /** Completes with the version once it is newer than {@code after}, at once if it is, or after {@code wait}. */
  public CompletableFuture<Long> changeAfter(long after, Duration wait) {
    CompletableFuture<Long> change = new CompletableFuture<>();
    synchronized (this) {
      if (version > after) {
        return CompletableFuture.completedFuture(version);
      }
      changeWaiters.add(change);
    }
    Runnable cancel = timers.schedule(wait, () -> change.complete(version()));
    change.whenComplete((v, e) -> cancel.run());
    return change;
  }

  /** The full demand snapshot, functions in namespace and name order. */
  public synchronized DemandReport demand(String gateway) {
    long now = clock.millis();
    List<FunctionDemand> out = new ArrayList<>();
    functions.values().stream()
        .filter(fs -> fs.routed || !fs.holds.isEmpty())
        .sorted(Comparator.comparing((FunctionState fs) -> fs.function.key().namespace())
            .thenComparing(fs -> fs.function.key().name()))
        .forEach(fs -> {
          List<InstanceActivity> instances = new ArrayList<>();
          fs.instances.values().stream().filter(s -> s.routedTo)
              .sorted(Comparator.comparing(s -> s.instance.pod()))
              .forEach(s -> instances.add(new InstanceActivity(s.instance.pod(), s.inFlight,
                  s.inFlight > 0 ? 0 : Math.max(0, now - s.idleSinceMillis))));
          out.add(new FunctionDemand(fs.function.key().namespace(), fs.function.key().name(), fs.inFlight,
              fs.holds.size(), instances));
        });
    return new DemandReport(gateway, version, out);
  }

  public synchronized int inFlight(FunctionKey key) {
    FunctionState fs = functions.get(key);
    return fs == null ? 0 : fs.inFlight;
  }

  public synchronized int queued(FunctionKey key) {
    FunctionState fs = functions.get(key);
    return fs == null ? 0 : fs.holds.size();
  }

  // ---- the rules ------------------------------------------------------------------------------

  /** The serving instance with a free slot and the most in flight; on a tie the most recently active. */
  private static InstanceState choose(FunctionState fs) {
    int concurrency = fs.function.instanceConcurrency();
    InstanceState best = null;
    for (InstanceState s : fs.instances.values()) {
      if (!s.serving() || s.inFlight >= concurrency) {
        continue;
      }
      if (best == null || s.inFlight > best.inFlight || (s.inFlight == best.inFlight && s.activity > best.activity)) {
        best = s;
      }
    }
    return best;
  }

  private Slot take(FunctionState fs, InstanceState state, boolean held, Duration waited) {
    state.inFlight++;
    state.routedTo = true;
    state.activity = ++activity;
    fs.inFlight++;
    return new Slot(fs.function, state.instance, state, held, waited);
  }

  /** Serves held invocations, oldest first, while an instance has a free slot. */
  private void dispatch(FunctionState fs, List<Runnable> effects) {
    boolean served = false;
    long now = clock.millis();
    while (!fs.holds.isEmpty()) {
      InstanceState free = choose(fs);
      if (free == null) {
        break;
      }
      Hold hold = fs.holds.pollFirst();
      hold.cancelTimer.run();
      Slot slot = take(fs, free, true, Duration.ofMillis(Math.max(0, now - hold.sinceMillis)));
      effects.add(() -> {
        if (!hold.future.complete(slot)) {
          release(slot);
        }
      });
      served = true;
    }
    if (served) {
      bump(effects);
    }
  }

  private void failHeldWhileBackoff(FunctionState fs, List<Runnable> effects) {
    GatewayError blocked = backoffError(fs);
    if (blocked != null && !fs.holds.isEmpty()) {
      failHolds(fs, fs.holds.size(), blocked, effects);
    }
  }

  private void failHolds(FunctionState fs, int count, GatewayError error, List<Runnable> effects) {
    int failed = 0;
    while (failed < count && !fs.holds.isEmpty()) {
      Hold hold = fs.holds.pollFirst();
      hold.cancelTimer.run();
      effects.add(() -> hold.future.completeExceptionally(new GatewayError.Failure(error)));
      failed++;
    }
    if (failed > 0) {
      bump(effects);
    }
  }

  /** InitializationError while the backoff after an Initializer failure lasts and no instance serves; else null. */
  private GatewayError backoffError(FunctionState fs) {
    InitializerBackoff backoff = fs.function.backoff();
    Instant now = clock.instant();
    if (backoff == null || !backoff.blocks(now)) {
      return null;
    }
    for (InstanceState s : fs.instances.values()) {
      if (s.serving()) {
        return null;
      }
    }
    String last = backoff.lastFailure() == null || backoff.lastFailure().isBlank()
        ? "the Initializer of " + fs.function.key() + " failed"
        : backoff.lastFailure();
    return GatewayError.initialization(last + " (the next instance of " + fs.function.key()
        + " may start at " + backoff.notBefore() + ")");
  }

  private GatewayError expiryError(FunctionState fs, Duration waited) {
    RoutedFunction f = fs.function;
    long live = fs.instances.values().stream().filter(s -> s.instance.live()).count();
    long serving = fs.instances.values().stream().filter(InstanceState::serving).count();
    String bound = "the bound is the Initializer's timeout " + f.initializerTimeoutSeconds()
        + " s + the function's timeout " + f.timeoutSeconds() + " s = " + f.holdBound().toSeconds() + " s";
    String waitedText = "function " + f.key() + ": no instance had a free slot within " + waited.toMillis()
        + " ms (" + bound + ")";
    if (live >= f.maxInstances()) {
      return GatewayError.throttled(waitedText + "; it runs " + live + " of at most " + f.maxInstances()
          + " instances (maxInstances), all " + serving * f.instanceConcurrency()
          + " slots busy (instanceConcurrency " + f.instanceConcurrency() + ")");
    }
    return GatewayError.startTimeout(waitedText + "; " + serving + " instances ready of " + live
        + ", at most " + f.maxInstances() + ": no new instance became ready in time");
  }

  private void bump(List<Runnable> effects) {
    version++;
    if (!changeWaiters.isEmpty()) {
      List<CompletableFuture<Long>> waiting = List.copyOf(changeWaiters);
      changeWaiters.clear();
      long v = version;
      effects.add(() -> waiting.forEach(w -> w.complete(v)));
    }
  }

  private static <T> CompletableFuture<T> failed(GatewayError error) {
    return CompletableFuture.failedFuture(new GatewayError.Failure(error));
  }

  // ---- state ----------------------------------------------------------------------------------

  private static final class FunctionState {
    RoutedFunction function;
    final Map<String, InstanceState> instances = new LinkedHashMap<>();
    final ArrayDeque<Hold> holds = new ArrayDeque<>();
    int inFlight;
    /** Routed or held an invocation since this gateway started: it is in the demand report. */
    boolean routed;

    FunctionState(RoutedFunction function) {
      this.function = function;
    }
  }

  /** One instance's slots as this gateway uses them. */
  static final class InstanceState {
    /** Its function's state while it is in the directory, null once removed. */
    FunctionState owner;
    RoutedInstance instance;
    int inFlight;
    long activity;
    long idleSinceMillis;
    boolean routedTo;
    /** Its Initializer succeeded before its pod is Ready: it serves while its pod neither goes away nor ends. */
    boolean initialized;
    /** A startup watch was started for it; never a second one. */
    boolean watched;
    Runnable cancelWatch = () -> {};

    InstanceState(FunctionState owner, RoutedInstance instance, long nowMillis) {
      this.owner = owner;
      this.instance = instance;
      this.idleSinceMillis = nowMillis;
    }

    boolean serving() {
      return instance.serving(initialized);
    }
  }

  private static final class Hold {
    final CompletableFuture<Slot> future = new CompletableFuture<>();
    final long sinceMillis;
    Runnable cancelTimer = () -> {};

    Hold(long sinceMillis) {
      this.sinceMillis = sinceMillis;
    }
  }
}
