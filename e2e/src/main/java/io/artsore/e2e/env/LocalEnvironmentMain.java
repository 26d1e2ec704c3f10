package io.artsore.e2e.env;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the local test environment for manual use: prints the scenario scripts' variables (ready to
 * {@code export}) and waits for Ctrl-C. Run {@code e2e/scripts/init-data.sh} and {@code test-all.sh} with them.
 */
public final class LocalEnvironmentMain {
    private LocalEnvironmentMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".local-env").toAbsolutePath();
        Files.createDirectories(root);
        LocalEnvironment env = LocalEnvironment.start(root, System.getProperty("java.class.path"));
        StringBuilder exports = new StringBuilder();
        for (Map.Entry<String, String> e : env.scriptEnv().entrySet()) {
            exports.append("export ").append(e.getKey()).append("='").append(e.getValue().replace("'", "'\\''"))
                    .append("'\n");
        }
        Path envFile = root.resolve("env.sh");
        Files.writeString(envFile, exports);
        System.out.println(exports);
        System.out.println("Saved in " + envFile + ". Then: source " + envFile
                + " && e2e/scripts/init-data.sh && e2e/scripts/test-all.sh\nLogs: " + root.resolve("logs")
                + "\nCtrl-C stops everything.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            env.close();
            stopped.countDown();
        }, "local-env-shutdown"));
        stopped.await();
    }
}
