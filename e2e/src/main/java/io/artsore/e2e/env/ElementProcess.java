package io.artsore.e2e.env;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One storage element replica as a real child JVM ({@code io.artsore.se.server.Main}) on 127.0.0.1. */
public final class ElementProcess {
    private final String name;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private final Path pidFile;
    private Process process;

    public ElementProcess(String name, Map<String, String> env, Path logDir, Path pidDir) throws IOException {
        this.name = name;
        this.port = freePort();
        this.env = new java.util.HashMap<>(env);
        this.env.put("SE_PORT", String.valueOf(port));
        this.env.put("SE_BIND_ADDRESS", "127.0.0.1");
        this.env.putIfAbsent("SE_ADVERTISED_ADDRESS", "127.0.0.1:" + port);
        this.log = logDir.resolve(name + "-" + port + ".log");
        this.pidFile = pidDir.resolve(String.valueOf(port));
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The command line (java, heap cap, classpath, main) shared with the start-replica helper script. */
    static List<String> command(String classpath) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath, "io.artsore.se.server.Main");
    }

    public void start(String classpath) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(classpath)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SE_"));
        pb.environment().putAll(env);
        process = pb.start();
        Files.writeString(pidFile, String.valueOf(process.pid()));
    }

    public String url() {
        String scheme = "true".equals(env.get("SE_DEV_INSECURE_HTTP")) ? "http" : "https";
        return scheme + "://127.0.0.1:" + port;
    }

    public String name() {
        return name;
    }

    public Map<String, String> env() {
        return env;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public void stop() {
        if (process != null) {
            stopGracefully(process);
        }
    }

    /** SIGTERM, then SIGKILL if the element has not stopped within 20 s. */
    public static void stopGracefully(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
