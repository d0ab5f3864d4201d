package dev.fc.operator.kube.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code jcmd GC.class_histogram}, and the growth between two of them per class: what each further function
 * costs, by class.
 */
record ClassHistogram(Map<String, Entry> byClass) {
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  record Entry(long instances, long bytes) {}

  static ClassHistogram parse(String jcmdOutput) {
    Map<String, Entry> byClass = new LinkedHashMap<>();
    for (String line : jcmdOutput.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        byClass.merge(m.group(3), new Entry(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
            (a, b) -> new Entry(a.instances() + b.instances(), a.bytes() + b.bytes()));
      }
    }
    return new ClassHistogram(byClass);
  }

  /**
   * The classes whose bytes grew most from {@code before} to this one, as instances and bytes per added function,
   * top {@code limit} rows and the total, as a Markdown table.
   */
  String growthTable(ClassHistogram before, int addedFunctions, int limit) {
    List<Map.Entry<String, Entry>> growth = new ArrayList<>();
    long total = 0;
    for (var e : byClass.entrySet()) {
      Entry was = before.byClass().getOrDefault(e.getKey(), new Entry(0, 0));
      Entry delta = new Entry(e.getValue().instances() - was.instances(), e.getValue().bytes() - was.bytes());
      total += delta.bytes();
      growth.add(Map.entry(e.getKey(), delta));
    }
    growth.sort((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes()));
    StringBuilder out = new StringBuilder("| class | instances per function | bytes per function |\n| --- | --- | --- |\n");
    for (var e : growth.subList(0, Math.min(limit, growth.size()))) {
      out.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f |%n", e.getKey(),
          e.getValue().instances() / (double) addedFunctions, e.getValue().bytes() / (double) addedFunctions));
    }
    out.append(String.format(Locale.ROOT, "| all classes | | %.0f |%n", total / (double) addedFunctions));
    return out.toString();
  }
}
