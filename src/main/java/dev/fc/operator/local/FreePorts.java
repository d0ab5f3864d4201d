package dev.fc.operator.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Local TCP ports for a process to listen on: free ones picked by the system, or a chosen one checked. */
public final class FreePorts {
  private FreePorts() {}

  /** Distinct free ports: the sockets are held open together so that no two of them can coincide. */
  public static int[] pick(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        close(socket);
      }
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
