package dev.fc.operator.gateway;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** An invocation's request id, by the runtime's rule (fc_invoke.py {@code request_id_of}). Pure. */
public final class RequestIds {
  /** A valid id, as the runtime accepts one. */
  public static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** The client's id when it sent exactly one valid value, else a new UUID. */
  public static String of(List<String> given) {
    if (given != null && given.size() == 1 && VALID.matcher(given.get(0)).matches()) {
      return given.get(0);
    }
    return UUID.randomUUID().toString();
  }
}
