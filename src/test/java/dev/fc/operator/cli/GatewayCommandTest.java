package dev.fc.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayCommandTest {

  @Test
  void gatewayIsACommandWithItsOptionsAndDefaults() {
    CommandLine cli = FcOperatorCommand.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("gateway", "--help")).isZero();
    assertThat(out.toString()).contains("--port", "--admin-port", "--namespace", "--watch-namespace", "--name",
        "default: 8080", "default: 9090");
    CommandLine.ParseResult parsed = FcOperatorCommand.commandLine()
        .parseArgs("gateway", "--watch-namespace", "a,b", "--watch-namespace", "c");
    GatewayCommand gateway = (GatewayCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(gateway.watchNamespaces).containsExactly("a", "b", "c");
    assertThat(gateway.namespace).isEqualTo("default");
  }
}
