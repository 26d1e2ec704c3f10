package io.artsore.e2e.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Command-line entry of the load generator (issue 8): drives a Storage Element or a WebDAV baseline with
 * concurrent clients and prints throughput and latency per operation. See {@link LoadConfig#USAGE}.
 */
public final class LoadGen {

    private LoadGen() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args));
    }

    /** Runs with the given arguments and returns the exit status (0 ok, 1 operations failed, 2 bad usage). */
    static int run(String[] args) throws InterruptedException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(LoadConfig.USAGE);
            return args.length == 0 ? 2 : 0;
        }
        LoadConfig config;
        try {
            config = LoadConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(LoadConfig.USAGE);
            return 2;
        }
        try {
            Report report = new LoadRunner(config).run();
            System.out.print(report.toText());
            if (config.jsonOut() != null) {
                Files.writeString(config.jsonOut(), report.toJson());
            }
            return report.totalErrors() == 0 ? 0 : 1;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
