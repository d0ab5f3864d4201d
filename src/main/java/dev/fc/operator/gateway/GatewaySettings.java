package dev.fc.operator.gateway;

/**
 * How a gateway replica runs.
 *
 * @param port the invocation port (0: any free one)
 * @param adminPort the port of /demand, /metrics, /healthz and /readyz (0: any free one)
 * @param defaultNamespace the namespace of InvokeFunction without the {@value InvocationRoute#NAMESPACE_HEADER} header
 * @param name this replica's name in its demand reports
 */
public record GatewaySettings(int port, int adminPort, String defaultNamespace, String name) {}
