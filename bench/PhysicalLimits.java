import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Physical limits the benchmark compares the element with (run as a single-file program:
 * {@code java bench/PhysicalLimits.java sha256|tcp MIB}). Prints one number: MB/s (10^6 bytes per second).
 */
public final class PhysicalLimits {
    private static final int BUFFER = 64 * 1024;

    public static void main(String[] args) throws Exception {
        long mib = Long.parseLong(args[1]);
        double mbps = switch (args[0]) {
            case "sha256" -> sha256(mib);
            case "tcp" -> tcp(mib);
            default -> throw new IllegalArgumentException("sha256 or tcp");
        };
        System.out.println(String.format(Locale.ROOT, "%.1f", mbps));
    }

    /** The JDK's SHA-256 over 64 KiB chunks (the chunk size ContentWriter uses); after a warm-up. */
    private static double sha256(long mib) throws Exception {
        byte[] buf = new byte[BUFFER];
        new java.util.Random(1).nextBytes(buf);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 16 * 256; i++) { // 256 MiB warm-up so the intrinsic is compiled
            sha.update(buf);
        }
        sha.digest();
        long chunks = mib * 1024 * 1024 / BUFFER;
        long t0 = System.nanoTime();
        for (long i = 0; i < chunks; i++) {
            sha.update(buf);
        }
        sha.digest();
        return chunks * BUFFER / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }

    /** One loopback TCP stream (no TLS): a writer thread and this reader, 64 KiB writes. */
    private static double tcp(long mib) throws Exception {
        long total = mib * 1024 * 1024;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                     OutputStream out = s.getOutputStream()) {
                    byte[] buf = new byte[BUFFER];
                    for (long sent = 0; sent < total; sent += BUFFER) {
                        out.write(buf);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                byte[] buf = new byte[BUFFER];
                long t0 = System.nanoTime();
                long received = 0;
                for (int n; (n = in.read(buf)) != -1; ) {
                    received += n;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                writer.join();
                return received / secs / 1e6;
            }
        }
    }
}
