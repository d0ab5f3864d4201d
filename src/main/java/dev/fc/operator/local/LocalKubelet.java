package dev.fc.operator.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fc.operator.contract.ExitReason;
import dev.fc.operator.contract.HookStatus;
import dev.fc.operator.contract.InvocationEndpoint;
import dev.fc.operator.contract.TerminationMessage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Plays the kubelet for one pod on this machine, with the pod's own settings: start the container;
 * the startup probe (long-polled by the runtime while its Initializer runs) until it succeeds, or kill
 * the container when it fails; the readiness probe; then the invocations in order (or serving until asked to stop); then the
 * stop: the preStop hook, bounded by {@code terminationGracePeriodSeconds}, which starts counting
 * before it; SIGTERM with what is left of the grace period (at least 2 s); SIGKILL when that runs out
 * too (see {@link GracePeriod}). A container that exits on its own is reported with its status and
 * termination message, as {@code restartPolicy: Never} leaves it.
 */
public final class LocalKubelet {
  /** How the run went: {@code ok} when the instance did all it should; else {@code summary} says what failed. */
  public record Result(boolean ok, String summary) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PodSandbox.Launch launch;
  /** A custom runtime's server, the pod's other container ({@code launch} is then its adapter); else null. */
  private final PodSandbox.Launch server;
  private final Container container;
  private final long graceSeconds;
  private final URI invokeUri;
  private final Console console;
  private final Ticker ticker;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  /**
   * A pod of one or two containers: the one that carries the contract, whose probes, hook and invocation port
   * are driven, and a custom runtime's server beside it, started first, its lines prefixed with its name, stopped
   * once the hook has returned (its own preStop hook is the same call to the adapter, docs/runtime-contract.md).
   *
   * @param invokePath where an invocation is POSTed on the container's local invocation port
   */
  public LocalKubelet(Pod pod, PodSandbox.Sandbox sandbox, int invokeLocalPort, String invokePath, Console console,
      Ticker ticker) {
    this.launch = sandbox.lifecycle();
    this.server = sandbox.server();
    this.container = launch.container();
    Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    this.graceSeconds = grace == null ? 30 : grace;
    this.invokeUri = URI.create("http://127.0.0.1:" + invokeLocalPort + invokePath);
    this.console = console;
    this.ticker = ticker;
  }

  /**
   * Runs the pod: the invocations in order then the stop, or, with {@code serve}, serving until
   * {@code stopRequest} completes (Ctrl-C). {@code stopRequest} also cuts a run with invocations short.
   */
  public Result run(List<String> invocations, boolean serve, CompletableFuture<?> stopRequest)
      throws IOException, InterruptedException {
    String serverName = server == null ? null : server.container().getName();
    try (ContainerProcess serverProcess = server == null ? null
            : ContainerProcess.start(server, line -> console.container(serverName, line));
        ContainerProcess process = ContainerProcess.start(launch, console::container)) {
      return new Run(process, serverProcess, stopRequest).run(invocations, serve);
    }
  }

  /** One run's state. */
  private final class Run {
    private final ContainerProcess process;
    private final ContainerProcess serverProcess;
    private final CompletableFuture<?> stopRequest;
    private final CompletableFuture<Object> interrupt;
    private final CompletableFuture<Void> stopWatching = new CompletableFuture<>();
    private final ContainerExchange exchange;
    private Thread readinessWatch;
    private final List<String> failures = new ArrayList<>();

    Run(ContainerProcess process, ContainerProcess serverProcess, CompletableFuture<?> stopRequest) {
      this.process = process;
      this.serverProcess = serverProcess;
      this.stopRequest = stopRequest;
      // the server's end ends the instance too (restartPolicy: Never; InstanceContainers.ended)
      this.interrupt = serverProcess == null ? CompletableFuture.anyOf(process.onExit(), stopRequest)
          : CompletableFuture.anyOf(process.onExit(), serverProcess.onExit(), stopRequest);
      this.exchange = new ContainerExchange(ticker, process.onExit());
    }

    Result run(List<String> invocations, boolean serve) throws InterruptedException {
      long started = ticker.nanoTime();
      if (serverProcess != null) {
        console.kubelet("started container " + server.container().getName() + " (pid " + serverProcess.pid()
            + ") of pod " + launch.podName() + ": " + String.join(" ", server.command()) + " in "
            + server.workingDir());
      }
      console.kubelet("started container " + container.getName() + " (pid " + process.pid() + ") of pod "
          + launch.podName());
      if (!probe("startup", container.getStartupProbe(), started)) {
        return finish();
      }
      // the readiness worker ticks from the container's start and probes from its first tick after the startup
      // probe succeeded, as the kubelet's
      if (!probe("readiness", container.getReadinessProbe(), started)) {
        return finish();
      }
      console.kubelet("container ready");
      watchReadiness(started);
      if (serve) {
        console.local("serving " + invokeUri
            + (invokeUri.getPath().equals(InvocationEndpoint.EVENT_PATH) ? " (POST an event)" : "")
            + "; Ctrl-C stops the instance");
        ticker.await(interrupt);
      } else {
        invokeAll(invocations);
      }
      return finish();
    }

    /** Runs one probe until success; false when the run must end (it failed, the container exited, a stop). */
    private boolean probe(String kind, Probe probe, long start) throws InterruptedException {
      if (probe == null) {
        return true;
      }
      if (probe.getHttpGet() == null) {
        throw new IllegalStateException("only httpGet probes run locally");
      }
      HttpGet get = new HttpGet(probe.getHttpGet(), launch.ports(), http);
      ProbeRunner.Result result = new ProbeRunner(kind, ProbeRunner.Timing.of(probe), get::get, ticker,
          console::kubelet).untilSuccess(start, interrupt);
      if (result == ProbeRunner.Result.FAILED) {
        fail("the " + kind + " probe (GET " + get.path() + ") failed " + ProbeRunner.Timing.of(probe).failureThreshold()
            + " times in a row");
        if ("startup".equals(kind)) {
          console.kubelet("container " + container.getName() + " failed its startup probe, will be killed");
        }
      }
      return result == ProbeRunner.Result.SUCCEEDED;
    }

    /** The readiness probe goes on in the background, as the kubelet's, reporting changes. */
    private void watchReadiness(long started) {
      Probe probe = container.getReadinessProbe();
      if (probe == null) {
        return;
      }
      HttpGet get = new HttpGet(probe.getHttpGet(), launch.ports(), http);
      ProbeRunner runner = new ProbeRunner("readiness", ProbeRunner.Timing.of(probe), get::get, ticker,
          console::kubelet);
      CompletableFuture<Object> stop = CompletableFuture.anyOf(stopWatching, process.onExit());
      readinessWatch = new Thread(() -> {
        try {
          runner.watch(started, stop, ready -> console.kubelet(ready ? "container ready" : "container not ready"));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "readiness-probe");
      readinessWatch.setDaemon(true);
      readinessWatch.start();
    }

    private void invokeAll(List<String> invocations) throws InterruptedException {
      int n = invocations.size();
      for (int i = 0; i < n; i++) {
        if (interrupt.isDone()) {
          console.local((i + 1 == n ? "invoke " + n : "invokes " + (i + 1) + "-" + n) + "/" + n + " not sent: the "
              + "container " + (stopRequest.isDone() ? "is being stopped" : "exited"));
          if (stopRequest.isDone()) {
            fail("stopped after " + i + " of " + n + " invocation(s)");
          }
          return;
        }
        invoke(i + 1, n, invocations.get(i));
      }
    }

    private void invoke(int index, int count, String data) throws InterruptedException {
      String which = "invoke " + index + "/" + count;
      long began = ticker.nanoTime();
      CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
          HttpRequest.newBuilder(invokeUri).POST(HttpRequest.BodyPublishers.ofString(data, StandardCharsets.UTF_8))
              .build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      ContainerExchange.Outcome<String> outcome = exchange.await(answer, stopRequest, null);
      switch (outcome.ending()) {
        case ANSWERED -> answered(which, outcome.response(), began);
        case CONTAINER_EXITED -> {
          console.local(which + ": no answer, the container exited (" + outcome.detail() + ")");
          fail(which + " got no answer: the container exited");
        }
        case FAILED -> {
          console.local(which + ": " + outcome.detail());
          fail(which + " failed: " + outcome.detail());
        }
        case STOPPED, DEADLINE -> {
          console.local(which + ": no answer, the container is being stopped");
          fail(which + " got no answer");
        }
      }
    }

    private void answered(String which, HttpResponse<String> response, long began) {
      console.response(response.body());
      String took = Duration.ofNanos(ticker.nanoTime() - began).toMillis() + " ms";
      var errorType = response.headers().firstValue(InvocationEndpoint.ERROR_TYPE_HEADER);
      if (errorType.isPresent()) {
        console.local(which + ": HTTP " + response.statusCode() + " " + InvocationEndpoint.ERROR_TYPE_HEADER + ": "
            + errorType.get()
            + " (" + took + ")");
        fail(which + " answered " + errorType.get() + errorMessage(response.body()));
      } else {
        console.local(which + ": HTTP " + response.statusCode() + " (" + took + ")");
      }
    }

    /** Stops the container unless it already exited, then reports how it ended. */
    private Result finish() throws InterruptedException {
      stopWatching.complete(null);
      boolean serverEndedFirst = serverProcess != null && serverProcess.onExit().isDone();
      long stopBegan = ticker.nanoTime();
      Stop stop = process.onExit().isDone() ? Stop.EXITED_ON_ITS_OWN : stop();
      boolean killed = stop == Stop.KILLED;
      boolean exitedOnItsOwn = stop == Stop.EXITED_ON_ITS_OWN;
      int status = process.exitStatus();
      if (!process.outputEnded()) {
        console.local("the container's output is still open after it ended (a process outside it holds it): "
            + "not read further");
      }
      if (readinessWatch != null) {
        readinessWatch.join(Duration.ofSeconds(5).toMillis());
      }
      String signal = status == 137 ? " (SIGKILL)" : status == 143 ? " (SIGTERM)" : "";
      console.kubelet("container exited with status " + status + signal);
      String terminationMessage = status == 0 ? "" : showTerminationMessage();
      if (killed) {
        fail("the container did not exit within the grace period of " + graceSeconds + "s: killed with SIGKILL");
      } else if (exitedOnItsOwn || endedForAReasonOfItsOwn(terminationMessage)) {
        fail("the container exited with status " + status + explain(terminationMessage));
      } else if (status != 0) {
        fail("the container exited with status " + status + " when stopped" + explain(terminationMessage));
      }
      if (serverProcess != null) {
        endServer(serverEndedFirst, stopBegan);
      }
      return failures.isEmpty()
          ? new Result(true, "the container stopped with status 0")
          : new Result(false, String.join("; ", failures));
    }

    /**
     * The kubelet's stop: preStop hook within the grace period, SIGTERM, SIGKILL when the rest of the
     * grace period runs out. A container that exits before SIGTERM (it was ending already) exited on its own.
     */
    private Stop stop() throws InterruptedException {
      var preStop = container.getLifecycle() == null ? null : container.getLifecycle().getPreStop();
      console.kubelet("stopping container " + container.getName() + ": grace period " + graceSeconds + "s"
          + (preStop != null && preStop.getHttpGet() != null ? ", preStop hook first" : ""));
      long begun = ticker.nanoTime();
      long deadline = begun + GracePeriod.hookLimit(graceSeconds).toNanos();
      Duration hookElapsed = Duration.ZERO;
      if (preStop != null && preStop.getHttpGet() != null && graceSeconds > 0) {
        HttpGet hook = new HttpGet(preStop.getHttpGet(), launch.ports(), http);
        console.kubelet("preStop hook: GET " + hook.path());
        ContainerExchange.Outcome<String> outcome = exchange.await(hook.getAsync(), new CompletableFuture<>(),
            deadline);
        hookElapsed = Duration.ofNanos(ticker.nanoTime() - begun);
        String after = String.format(Locale.ROOT, "after %.2fs", hookElapsed.toMillis() / 1000.0);
        switch (outcome.ending()) {
          case ANSWERED -> hookAnswered(outcome.response(), after);
          case CONTAINER_EXITED -> console.kubelet("preStop hook got no answer " + after + " (" + outcome.detail()
              + "): the container exited on its own");
          case FAILED -> {
            console.kubelet("preStop hook failed " + after + ": " + outcome.detail());
            fail("the preStop hook failed: " + outcome.detail());
          }
          case DEADLINE, STOPPED -> {
            console.kubelet("preStop hook still running at the end of the grace period (" + graceSeconds + "s)");
            fail("the preStop hook outlasted the grace period of " + graceSeconds + "s");
          }
        }
      }
      if (process.onExit().isDone()) {
        return Stop.EXITED_ON_ITS_OWN;
      }
      long left = GracePeriod.afterHook(graceSeconds, hookElapsed);
      console.kubelet("killing: SIGTERM, grace " + left + "s left");
      long termAt = ticker.nanoTime();
      process.sigterm();
      if (ticker.awaitUntil(termAt + Duration.ofSeconds(left).toNanos(), process.onExit())) {
        console.kubelet("grace period over, container still running: SIGKILL");
        process.sigkill();
        return Stop.KILLED;
      }
      return Stop.TERMINATED;
    }

    /**
     * Stops a custom runtime's server, once its PreStop has been called (through the adapter's hook) or the adapter
     * has ended: SIGTERM with what is left of the grace period (at least 2 s), then SIGKILL. Its end before the
     * stop ended the instance, a failure; when stopped, 0 or SIGTERM's 143 is a clean end.
     */
    private void endServer(boolean endedFirst, long stopBegan) throws InterruptedException {
      String name = server.container().getName();
      boolean killed = false;
      if (!serverProcess.onExit().isDone()) {
        long left = Math.max(2, graceSeconds - Duration.ofNanos(ticker.nanoTime() - stopBegan).toSeconds());
        console.kubelet("killing container " + name + ": SIGTERM, grace " + left + "s left");
        long termAt = ticker.nanoTime();
        serverProcess.sigterm();
        if (ticker.awaitUntil(termAt + Duration.ofSeconds(left).toNanos(), serverProcess.onExit())) {
          console.kubelet("grace period over, container " + name + " still running: SIGKILL");
          serverProcess.sigkill();
          killed = true;
        }
      }
      int status = serverProcess.exitStatus();
      String signal = status == 137 ? " (SIGKILL)" : status == 143 ? " (SIGTERM)" : "";
      console.kubelet("container " + name + " exited with status " + status + signal);
      if (endedFirst) {
        fail("container " + name + " (the function's server) exited with status " + status + " while the "
            + "instance ran");
      } else if (killed) {
        fail("container " + name + " did not exit within the grace period: killed with SIGKILL");
      } else if (status != 0 && status != 143) {
        fail("container " + name + " exited with status " + status + " when stopped");
      }
    }

    private void hookAnswered(HttpResponse<String> response, String after) {
      String body = response.body().strip();
      boolean success = HttpGet.attempt(response).success();
      console.kubelet("preStop hook " + (success ? "returned" : "failed with") + " HTTP " + response.statusCode()
          + " " + after + (body.isEmpty() ? "" : ": " + body));
      if (!success) {
        fail("the preStop hook failed: HTTP " + response.statusCode());
        return;
      }
      // The runtime answers with PreStop's outcome (docs/runtime-contract.md).
      try {
        JsonNode outcome = JSON.readTree(body);
        String status = outcome.path("status").asText("");
        if (status.equals(HookStatus.FAILED) || status.equals(HookStatus.TIMEOUT)) {
          String error = outcome.path("error").asText("").strip();
          fail("PreStop " + (status.equals(HookStatus.TIMEOUT) ? "timed out" : "failed")
              + (error.isEmpty() ? "" : ": " + error.lines().reduce((a, b) -> b).orElse("")));
        }
      } catch (IOException notJson) {
        // not the runtime's answer: the status alone counts, as for the kubelet
      }
    }

    private String showTerminationMessage() {
      String text;
      try {
        text = Files.readString(launch.terminationMessage()).strip();
      } catch (IOException e) {
        text = "";
      }
      console.kubelet(text.isEmpty() ? "no termination message" : "termination message: " + text);
      return text;
    }

    private void fail(String reason) {
      failures.add(reason);
    }
  }

  /** How the stop ended. */
  private enum Stop { TERMINATED, KILLED, EXITED_ON_ITS_OWN }

  /**
   * The runtime says it ended for a reason of its own (an Initializer failure, a retirement), not because it
   * was stopped: it was already ending when SIGTERM came, which a glance at the process cannot tell.
   */
  private static boolean endedForAReasonOfItsOwn(String terminationMessage) {
    String reason = TerminationMessage.parse(terminationMessage).exitReason();
    return reason != null && !ExitReason.STOPPED.is(reason);
  }

  /** ": " and the termination message's one line for humans, when there is one. */
  private static String explain(String terminationMessage) {
    String message = TerminationMessage.parse(terminationMessage).message();
    return message == null || message.isBlank() ? "" : ": " + message;
  }

  /** ": " and an FC error body's errorMessage, when the body is one. */
  private static String errorMessage(String body) {
    try {
      String message = JSON.readTree(body).path("errorMessage").asText("");
      return message.isEmpty() ? "" : ": " + message.lines().findFirst().orElse("");
    } catch (IOException notJson) {
      return "";
    }
  }
}
