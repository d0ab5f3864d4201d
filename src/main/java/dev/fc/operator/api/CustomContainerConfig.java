package dev.fc.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.List;
import java.util.Objects;

/**
 * FC's {@code customContainerConfig} for {@code runtime: custom-container}: the user's image, serving FC's HTTP
 * contract on {@code port} (docs/runtime-contract.md, "Custom containers"). {@code command} and {@code args} mean
 * what they mean in a Kubernetes container (FC 2.0's {@code command}/{@code args}; FC 3.0 calls them
 * {@code entrypoint}/{@code command}, which {@code convert} maps).
 */
public class CustomContainerConfig {
  @JsonPropertyDescription("The function's image, e.g. registry.example.com/team/app:1.0. Required.")
  private String image;

  @JsonPropertyDescription("Replaces the image's entrypoint (as a container's command); default the image's.")
  private List<String> command;

  @JsonPropertyDescription("Arguments (as a container's args); default the image's.")
  private List<String> args;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("The port the image's HTTP server listens on, 1 to 65535 but not 9001 or 9002 (the"
      + " adapter's). Default 9000, as FC.")
  private Integer port;

  @Min(1)
  @JsonPropertyDescription("The user id the image runs as, for images that need a particular one; not 0 (pods"
      + " run as non-root). Default 10001.")
  private Long runAsUser;

  public CustomContainerConfig() {}

  public CustomContainerConfig(String image, List<String> command, List<String> args, Integer port, Long runAsUser) {
    this.image = image;
    this.command = command;
    this.args = args;
    this.port = port;
    this.runAsUser = runAsUser;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
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

  public Long getRunAsUser() {
    return runAsUser;
  }

  public void setRunAsUser(Long runAsUser) {
    this.runAsUser = runAsUser;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CustomContainerConfig c && Objects.equals(image, c.image)
        && Objects.equals(command, c.command) && Objects.equals(args, c.args) && Objects.equals(port, c.port)
        && Objects.equals(runAsUser, c.runAsUser);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, command, args, port, runAsUser);
  }
}
