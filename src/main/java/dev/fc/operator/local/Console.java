package dev.fc.operator.local;

import java.io.PrintWriter;

/**
 * What {@code local} prints. stdout carries only the invocations' response bodies, so that
 * {@code --invoke} output can be piped; everything else goes to stderr: the container's output as it
 * comes (FC's log lines, the runtime's remarks), the kubelet's lines prefixed {@code [kubelet]}, and
 * {@code local}'s own lines prefixed {@code [local]}, the last of which says the exit status.
 */
public final class Console {
  public static final String KUBELET = "[kubelet] ";
  public static final String LOCAL = "[local] ";

  private final PrintWriter out;
  private final PrintWriter err;

  public Console(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** A line of the container's output (stdout and stderr merged, as {@code kubectl logs} shows them). */
  public void container(String line) {
    err(line);
  }

  /** A line of another container of the pod (a custom runtime's server beside its adapter), with its name. */
  public void container(String name, String line) {
    err("[" + name + "] " + line);
  }

  public void kubelet(String message) {
    err(KUBELET + message);
  }

  public void local(String message) {
    err(LOCAL + message);
  }

  /** An invocation's response body, on stdout, ended by a newline when it has none. */
  public void response(String body) {
    synchronized (this) {
      out.print(body.endsWith("\n") ? body : body + "\n");
      out.flush();
    }
  }

  public void flush() {
    synchronized (this) {
      out.flush();
      err.flush();
    }
  }

  private void err(String line) {
    synchronized (this) {
      err.println(line);
      err.flush();
    }
  }
}
