package io.artsore.se.server;

import io.artsore.se.config.ConfigException;
import io.artsore.se.config.ConfigLoader;
import io.artsore.se.config.SeConfig;
import io.artsore.se.logging.Events;
import io.artsore.se.logging.LogLevels;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Entry point: configuration from the environment, then {@link StorageElementServer}; SIGTERM stops it gracefully. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        SeConfig config;
        try {
            config = ConfigLoader.load(System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LogLevels.install(config.logLevel().name(), config.logFormat().name());
        Logger log = Logger.getLogger(Main.class.getName());
        StorageElementServer server;
        try {
            server = StorageElementServer.start(config, Clock.systemUTC());
        } catch (Exception e) {
            Events.log(log, Level.SEVERE, "startup_failed", e, "storage_id", config.storageId());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
