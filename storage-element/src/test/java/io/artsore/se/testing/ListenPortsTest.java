package io.artsore.se.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ListenPortsTest {
    @Test
    void portsAreFreeAndBelowTheEphemeralRange() throws Exception {
        int ephemeralLow = Integer.parseInt(
                Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        for (int i = 0; i < 20; i++) {
            int port = ListenPorts.outsideEphemeralRange();
            assertThat(port).isBetween(1024, ephemeralLow - 1);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
