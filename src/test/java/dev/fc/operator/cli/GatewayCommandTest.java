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
    assertThat(gateway.peerSelector).as("no peers by default: it serves every function").isEmpty();
  }

  @Test
  void peersAreFoundByASelectorInANamespace() {
    CommandLine cli = FcOperatorCommand.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("gateway", "--help")).isZero();
    assertThat(out.toString()).contains("--peer-selector", "--peer-namespace", "FC_GATEWAY_PEER_SELECTOR",
        "POD_NAMESPACE");

    CommandLine failing = FcOperatorCommand.commandLine();
    StringWriter err = new StringWriter();
    failing.setErr(new PrintWriter(err));
    assertThat(failing.execute("gateway", "--peer-selector=app=gw", "--peer-namespace=")).isNotZero();
    assertThat(err.toString()).contains("--peer-selector needs --peer-namespace (or POD_NAMESPACE)");
  }
}
