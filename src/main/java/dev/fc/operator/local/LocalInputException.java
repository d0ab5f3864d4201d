package dev.fc.operator.local;

/** A pod that cannot run on this machine as given (a volume from the cluster, a port taken): one line. */
public class LocalInputException extends Exception {
  public LocalInputException(String message) {
    super(message);
  }
}
