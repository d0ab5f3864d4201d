package dev.fc.operator.cli;

import dev.fc.operator.manifest.FunctionInstanceFile;
import dev.fc.operator.input.InputException;
import dev.fc.operator.api.FunctionInstance;
import dev.fc.operator.desired.DesiredStateBuilder;
import dev.fc.operator.desired.InstanceSettings;
import dev.fc.operator.desired.RuntimeFiles;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code fc-operator local ...} run in-process, its stderr kept line by line with the time each line
 * was written, so that tests can measure what the kubelet and the runtime did and when. Public for the
 * benchmarks ({@code dev.fc.operator.bench}).
 */
public final class LocalRun {
  static final Path FIXTURES = Path.of("src/test/resources/local");
  static final Duration DEADLINE = Duration.ofSeconds(40);

  public record Line(String text, long nanos) {}

  private final TimedLines err = new TimedLines();
  private final StringWriter out = new StringWriter();
  private final CompletableFuture<Void> stopRequest = new CompletableFuture<>();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  /** The pod the operator would create for the fixture's FunctionInstance {@code name}: the timings to expect. */
  static Pod pod(String fixture, String name) throws InputException {
    FunctionInstance fi = FunctionInstanceFile.read(FIXTURES.resolve(fixture)).stream()
        .filter(f -> f.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    return new DesiredStateBuilder(InstanceSettings.defaults(), RuntimeFiles.load()).build(fi).podTemplate();
  }

  /** Runs {@code local FIXTURE --port 0 ARGS...} to its end; FIXTURE relative to {@link #FIXTURES}, or absolute. */
  public static LocalRun of(String fixture, String... args) {
    LocalRun run = start(fixture, args);
    run.awaitExit();
    return run;
  }

  /** Starts {@code local FIXTURE --port 0 ARGS...} in the background. */
  static LocalRun start(String fixture, String... args) {
    LocalRun run = new LocalRun();
    List<String> all = new ArrayList<>(List.of("local", FIXTURES.resolve(fixture).toString()));
    all.addAll(List.of(args));
    if (!all.contains("--port")) {
      all.addAll(List.of("--port", "0"));
    }
    CommandLine cli = FcOperatorCommand.commandLine();
    cli.setOut(new PrintWriter(run.out, true));
    cli.setErr(new PrintWriter(run.err, true));
    ((LocalCommand) cli.getSubcommands().get("local").getCommand()).stopRequest = run.stopRequest;
    Thread thread = new Thread(() -> {
      try {
        run.exit.complete(cli.execute(all.toArray(String[]::new)));
      } catch (Throwable t) {
        run.exit.completeExceptionally(t);
      }
    }, "local-run");
    thread.setDaemon(true);
    thread.start();
    return run;
  }

  /** As Ctrl-C does. */
  void stop() {
    stopRequest.complete(null);
  }

  int awaitExit() {
    try {
      return exit.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("local did not end: " + e + "; stderr:\n" + err(), e);
    }
  }

  public int exitCode() {
    return awaitExit();
  }

  String out() {
    return out.toString();
  }

  List<String> outLines() {
    return out().lines().toList();
  }

  public String err() {
    return String.join("\n", errLines());
  }

  public List<String> errLines() {
    return err.lines().stream().map(Line::text).toList();
  }

  String lastLine() {
    List<String> lines = errLines();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  long count(Pattern whole) {
    return errLines().stream().filter(l -> whole.matcher(l).matches()).count();
  }

  /** The first stderr line matching the whole pattern, waiting for it up to the deadline. */
  public Line awaitLine(Pattern whole) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      for (Line line : err.lines()) {
        if (whole.matcher(line.text()).matches()) {
          return line;
        }
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no line matching " + whole + " in:\n" + err());
      }
      err.awaitMore(end);
    }
  }

  /** Milliseconds from the first line matching {@code from} to the first matching {@code to}. */
  long millisBetween(Pattern from, Pattern to) {
    return TimeUnit.NANOSECONDS.toMillis(awaitLine(to).nanos() - awaitLine(from).nanos());
  }

  /** A Writer that keeps whole lines with the time their end was written. */
  private static final class TimedLines extends Writer {
    private final StringBuilder partial = new StringBuilder();
    private final List<Line> lines = new ArrayList<>();

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
      long now = System.nanoTime();
      for (int i = offset; i < offset + length; i++) {
        char c = chars[i];
        if (c == '\n') {
          lines.add(new Line(partial.toString(), now));
          partial.setLength(0);
          notifyAll();
        } else if (c != '\r') {
          partial.append(c);
        }
      }
    }

    synchronized List<Line> lines() {
      return List.copyOf(lines);
    }

    /** Waits until another line arrives or the deadline passes. */
    synchronized void awaitMore(long deadlineNanos) {
      int seen = lines.size();
      long left = deadlineNanos - System.nanoTime();
      while (lines.size() == seen && left > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
        left = deadlineNanos - System.nanoTime();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
