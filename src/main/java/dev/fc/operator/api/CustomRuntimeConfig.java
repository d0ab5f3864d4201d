package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;
import java.util.Objects;

/**
 * FC's {@code customRuntimeConfig} for {@code runtime: custom.debian12}: the user's command, run in a stock Debian 12
 * image with the code at {@code /code} (the working directory), serving FC's HTTP contract on {@code port}.
 */
public class CustomRuntimeConfig {
  @JsonPropertyDescription("The command that starts the function's HTTP server, e.g. [python3, app.py]. Required.")
  private List<String> command;

  @JsonPropertyDescription("Arguments after the command.")
  private List<String> args;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("The port the server listens on, 1 to 65535 but not 9001 or 9002 (the adapter's)."
      + " Default 9000, as FC.")
  private Integer port;

  public CustomRuntimeConfig() {}

  public CustomRuntimeConfig(List<String> command, List<String> args, Integer port) {
    this.command = command;
    this.args = args;
    this.port = port;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CustomRuntimeConfig c && Objects.equals(command, c.command) && Objects.equals(args, c.args)
        && Objects.equals(port, c.port);
  }

  @Override
  public int hashCode() {
    return Objects.hash(command, args, port);
  }
}
