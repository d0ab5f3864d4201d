package dev.fc.operator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Local TCP ports for a process to listen on: free ones picked by the system, or a chosen one checked.
 *
 * <p>A picked port is free only until something else binds it: the child that is to listen on it gets its number,
 * not the socket. The system hands a port just closed out again (284 repeats in 2,000 ports picked two at a time, FreePortsTest), so two pods of one
 * JVM started side by side could be given the same port, and one of them fail with "Address already in use". No
 * port is handed out twice in a row of {@link #REMEMBERED} picks; another process on the machine can still take
 * one between the pick and the bind.
 */
public final class FreePorts {
  /** How many ports handed out are remembered: far fewer than the system's ephemeral range (some 28,000). */
  static final int REMEMBERED = 4096;
  private static final Set<Integer> HANDED_OUT = new LinkedHashSet<>();

  private FreePorts() {}

  /** Distinct free ports, none handed out by a recent pick: sockets are held open until all are found. */
  public static int[] pick(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      synchronized (HANDED_OUT) {
        for (int i = 0; i < count; ) {
          ServerSocket socket = new ServerSocket(0);
          sockets.add(socket); // held open, so the system does not offer it again in this pick
          if (!HANDED_OUT.contains(socket.getLocalPort())) {
            ports[i++] = socket.getLocalPort();
          }
        }
        for (int port : ports) {
          remember(port);
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    } finally {
      sockets.forEach(FreePorts::close);
    }
  }

  private static void remember(int port) {
    HANDED_OUT.add(port);
    if (HANDED_OUT.size() > REMEMBERED) {
      Iterator<Integer> oldest = HANDED_OUT.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Whether something could listen on {@code port} on every interface (0.0.0.0), as the runtime does. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // as Python's http.server: a port in TIME_WAIT is free
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static void close(ServerSocket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing listens on it any more either way
      }
    }
  }
}
