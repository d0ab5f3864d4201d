package dev.fc.operator.gateway;

import dev.fc.operator.elastic.PodAddress;

/**
 * One gateway replica as its peers see it.
 *
 * @param name its name ({@code --name}, the pod's name): what ownership is computed from
 * @param address {@code host:port} of its invocation port ({@code [v6]:port} for an IPv6 host)
 */
public record Peer(String name, String address) {
  public static Peer of(String name, String host, int port) {
    return new Peer(name, PodAddress.authority(host, port));
  }
}
