package dev.fc.operator.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * Order statistics of a list of measurements (any unit): median, min, max, percentiles, and a
 * Markdown table row "figure | median | min–max | goal | ratio to goal" for docs/benchmarks.md.
 */
public final class Stats {
  private final double[] sorted;

  private Stats(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    sorted = values.clone();
    Arrays.sort(sorted);
  }

  public static Stats of(double... values) {
    return new Stats(values);
  }

  public static Stats of(Collection<? extends Number> values) {
    return new Stats(values.stream().mapToDouble(Number::doubleValue).toArray());
  }

  public int count() {
    return sorted.length;
  }

  public double min() {
    return sorted[0];
  }

  public double max() {
    return sorted[sorted.length - 1];
  }

  /** The middle value; the mean of the two middle ones for an even count. */
  public double median() {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Nearest-rank percentile, {@code p} in (0, 100]: the smallest value with at least p % of them at or below it. */
  public double percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile " + p + " not in (0, 100]");
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** The header of the table whose rows {@link #row} makes. */
  public static String header() {
    return "| figure | median | min–max | goal | ratio to goal |\n| --- | --- | --- | --- | --- |";
  }

  /**
   * {@code | figure | median unit | min–max unit | goal | median / goalValue |}; {@code goal} is the goal as
   * written (e.g. "≤ 1000 ms"); with {@code goalValue} 0 or NaN the ratio is left empty.
   */
  public String row(String figure, String unit, String goal, double goalValue) {
    String ratio = goalValue > 0 ? String.format(Locale.ROOT, "%.2f", median() / goalValue) : "";
    return String.format(Locale.ROOT, "| %s | %s %s | %s–%s %s | %s | %s |", figure, format(median()), unit,
        format(min()), format(max()), unit, goal, ratio);
  }

  /** Three significant figures or so: 0.412, 4.12, 41.2, 412, 4120. */
  public static String format(double value) {
    double abs = Math.abs(value);
    String pattern = abs >= 100 || value == 0 ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, value);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "median %s, min %s, max %s (n=%d)", format(median()), format(min()),
        format(max()), count());
  }
}
