package dev.fc.operator.gateway;

import java.util.Locale;
import java.util.Set;

/** Headers that belong to one connection, not to the message, and so are not forwarded (RFC 9110 7.6.1). Pure. */
final class HopByHop {
  private static final Set<String> NAMES = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
      "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization", "http2-settings",
      // set by the sender of each hop itself
      "content-length", "host", "expect", "date");

  private HopByHop() {}

  static boolean is(String name) {
    return NAMES.contains(name.toLowerCase(Locale.ROOT));
  }
}
