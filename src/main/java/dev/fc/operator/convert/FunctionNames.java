package dev.fc.operator.convert;

import java.util.Locale;
import java.util.regex.Pattern;

/** Turns FC function names into FunctionInstance names: DNS-1035 labels, as the validator requires. */
public final class FunctionNames {
  public static final int MAX_LENGTH = 63;
  private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");

  private FunctionNames() {}

  public static boolean isValid(String name) {
    return name.length() <= MAX_LENGTH && DNS_1035_LABEL.matcher(name).matches();
  }

  /**
   * The nearest valid name: lower-cased, every run of other characters ('_', '.', spaces) as one '-',
   * "fn-" in front when it does not start with a letter, cut to 63. Null when nothing usable is left.
   */
  public static String toValid(String name) {
    String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (cleaned.isEmpty()) {
      return null;
    }
    if (!Character.isLetter(cleaned.charAt(0))) {
      cleaned = "fn-" + cleaned;
    }
    if (cleaned.length() > MAX_LENGTH) {
      cleaned = cleaned.substring(0, MAX_LENGTH).replaceAll("-+$", "");
    }
    return cleaned;
  }
}
