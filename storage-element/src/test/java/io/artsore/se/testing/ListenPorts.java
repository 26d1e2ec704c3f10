package io.artsore.se.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for child processes that are killed and restarted on the same port.
 *
 * <p>A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, the range outgoing
 * connections take their local port from. While a child is dead, any outgoing connection on the machine (the
 * test's clients, a follower's proxy, other builds) may be given its port, and the restarted child's listener
 * then fails to bind ("Address already in use", exit 1) even with SO_REUSEADDR. Ports below that range are
 * never handed out implicitly, so only another listener could take one, and we check that none has.
 */
public final class ListenPorts {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default start of the ephemeral range. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32768;
    private static final int SPAN = 10_000;

    private ListenPorts() {
    }

    /** A port on 127.0.0.1 that is free now and outside the ephemeral range. */
    public static int outsideEphemeralRange() throws IOException {
        int low = ephemeralLow();
        int from = Math.max(1024, low - SPAN);
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = from + ThreadLocalRandom.current().nextInt(low - from);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IOException("no free port in " + from + ".." + (low - 1));
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Line-wise: procfs reports a size of 0, and a whole-file read of it came back as one byte ("3"). */
    private static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }
}
