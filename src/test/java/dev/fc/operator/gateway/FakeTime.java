package dev.fc.operator.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock the test moves and the timers that fire when it passes their time: the directory's time, faked. */
final class FakeTime extends Clock implements Timers {
  private long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private final List<Task> tasks = new ArrayList<>();

  private record Task(long due, Runnable run, boolean[] cancelled) {}

  @Override
  public synchronized Runnable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(millis + delay.toMillis(), task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Moves the clock and runs the timers now due, earliest first. */
  void advance(Duration by) {
    List<Task> due;
    synchronized (this) {
      millis += by.toMillis();
      due = tasks.stream().filter(t -> t.due <= millis).sorted(Comparator.comparingLong(Task::due)).toList();
      tasks.removeAll(due);
    }
    due.stream().filter(t -> !t.cancelled[0]).forEach(t -> t.run.run());
  }

  @Override
  public synchronized long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
