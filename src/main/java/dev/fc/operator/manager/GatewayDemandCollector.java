package dev.fc.operator.manager;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.elastic.DemandMerger;
import dev.fc.operator.elastic.DemandMerger.Received;
import dev.fc.operator.elastic.DemandReport;
import dev.fc.operator.elastic.DemandSource;
import dev.fc.operator.elastic.FunctionDemand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's ear on the gateways (docs/elastic.md, "Demand"): one long poll per gateway replica on its
 * {@code GET /demand?after=V}, which answers as soon as the replica's numbers change, so a held invocation
 * reaches the scaling decision in milliseconds without an API write. Each answer is a full snapshot; a function
 * whose numbers changed is handed to {@code onChange} (the reconciler's trigger).
 *
 * <p>Demand is complete when every replica the discovery lists has answered since it was listed and its last
 * poll did not fail; while it is not, nothing is reclaimed ({@link FunctionDemand#complete()}).
 */
public final class GatewayDemandCollector implements DemandSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayDemandCollector.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  /** Between a failed poll and the next. */
  static final Duration RETRY = Duration.ofSeconds(1);
  /** How often the replicas the discovery lists are compared with the polls running. */
  static final Duration DISCOVERY_PERIOD = Duration.ofSeconds(1);

  private final Supplier<Set<URI>> gateways;
  private final HttpClient http;
  private final Clock clock;
  private final BiConsumer<String, String> onChange;
  private final BooleanSupplier active;
  private final Duration wait;
  private final Map<URI, Received> latest = new ConcurrentHashMap<>();
  private final Map<URI, Thread> polls = new ConcurrentHashMap<>();
  private final Set<URI> failing = ConcurrentHashMap.newKeySet();
  private volatile Set<URI> listed = Set.of();
  private volatile boolean closed;
  private Thread discovery;

  /**
   * @param gateways the admin base URIs of the gateway replicas now (e.g. {@code http://10.88.0.7:9090})
   * @param onChange told (namespace, name) of every function whose demand changed
   * @param active whether to poll at all: only the leader decides
   * @param wait how long one long poll may wait for a change
   */
  public GatewayDemandCollector(Supplier<Set<URI>> gateways, HttpClient http, Clock clock,
      BiConsumer<String, String> onChange, BooleanSupplier active, Duration wait) {
    this.gateways = gateways;
    this.http = http;
    this.clock = clock;
    this.onChange = onChange;
    this.active = active;
    this.wait = wait;
  }

  public synchronized void start() {
    if (discovery != null) {
      return;
    }
    discovery = new Thread(this::discover, "fc-demand-discovery");
    discovery.setDaemon(true);
    discovery.start();
  }

  @Override
  public FunctionDemand demandOf(String namespace, String name) {
    Set<URI> now = listed;
    boolean complete = !now.isEmpty() && now.stream().allMatch(uri -> latest.containsKey(uri) && !failing.contains(uri));
    List<Received> reports = now.stream().map(latest::get).filter(Objects::nonNull).toList();
    return DemandMerger.merge(namespace, name, reports, complete);
  }

  private void discover() {
    while (!closed) {
      try {
        Set<URI> now = active.getAsBoolean() ? Set.copyOf(gateways.get()) : Set.of();
        listed = now;
        for (URI uri : now) {
          if (!polls.containsKey(uri)) {
            // registered before it starts: a poll runs only while it is the registered one for its replica
            Thread poll = pollThread(uri);
            polls.put(uri, poll);
            poll.start();
          }
        }
        for (URI uri : Set.copyOf(polls.keySet())) {
          if (!now.contains(uri)) {
            polls.remove(uri).interrupt();
            Received gone = latest.remove(uri);
            failing.remove(uri);
            if (gone != null) {
              notifyChanged(gone.report(), null);
            }
          }
        }
        Thread.sleep(DISCOVERY_PERIOD.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("gateway discovery failed, trying again: {}", e.toString());
      }
    }
  }

  private Thread pollThread(URI uri) {
    Thread thread = new Thread(() -> poll(uri), "fc-demand " + uri.getAuthority());
    thread.setDaemon(true);
    return thread;
  }

  private void poll(URI uri) {
    long after = -1;
    while (!closed && polls.get(uri) == Thread.currentThread()) {
      try {
        HttpRequest request = HttpRequest.newBuilder(uri.resolve("/demand?after=" + after + "&waitMillis="
                + wait.toMillis()))
            .timeout(wait.plusSeconds(5)).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
          throw new IOException("HTTP " + response.statusCode());
        }
        DemandReport report = JSON.readValue(response.body(), DemandReport.class);
        Received before = latest.put(uri, new Received(report, clock.instant()));
        if (failing.remove(uri)) {
          LOG.info("gateway {} answers again", uri);
        }
        after = report.version();
        notifyChanged(before == null ? null : before.report(), report);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (failing.add(uri)) {
          LOG.warn("gateway {} does not answer its demand ({}): nothing is reclaimed until it does", uri,
              e.toString());
        }
        after = -1;
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /** Tells {@code onChange} of every function whose numbers differ between the two reports. */
  private void notifyChanged(DemandReport before, DemandReport after) {
    Map<List<String>, DemandReport.FunctionDemand> old = byFunction(before);
    Map<List<String>, DemandReport.FunctionDemand> now = byFunction(after);
    Set<List<String>> keys = new HashSet<>(old.keySet());
    keys.addAll(now.keySet());
    for (List<String> key : keys) {
      if (!sameNumbers(old.get(key), now.get(key))) {
        onChange.accept(key.get(0), key.get(1));
      }
    }
  }

  private static Map<List<String>, DemandReport.FunctionDemand> byFunction(DemandReport report) {
    Map<List<String>, DemandReport.FunctionDemand> out = new HashMap<>();
    if (report != null) {
      report.functions().forEach(f -> out.put(List.of(f.namespace(), f.name()), f));
    }
    return out;
  }

  /** Equal but for idle durations, which grow on their own. */
  private static boolean sameNumbers(DemandReport.FunctionDemand a, DemandReport.FunctionDemand b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.inFlight() != b.inFlight() || a.queued() != b.queued() || a.instances().size() != b.instances().size()) {
      return false;
    }
    Map<String, Integer> inFlight = new HashMap<>();
    a.instances().forEach(i -> inFlight.put(i.pod(), i.inFlight()));
    return b.instances().stream().allMatch(i -> Integer.valueOf(i.inFlight()).equals(inFlight.get(i.pod())));
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (discovery != null) {
      discovery.interrupt();
    }
    polls.values().forEach(Thread::interrupt);
    polls.clear();
  }
}
