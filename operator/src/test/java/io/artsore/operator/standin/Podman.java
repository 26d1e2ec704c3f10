package io.artsore.operator.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The podman command line, one bounded call at a time; every object it makes carries the run's label. */
final class Podman {
    static final String RUN_LABEL = "artsore.standin.run";
    private static final long TIMEOUT_SECONDS = 120;

    private final String runId;

    Podman(String runId) {
        this.runId = runId;
    }

    String runId() {
        return runId;
    }

    String label() {
        return RUN_LABEL + "=" + runId;
    }

    /** Runs {@code podman args...}; its trimmed stdout, or an exception with stderr when it fails. */
    String run(String... args) {
        return run(List.of(args));
    }

    String run(List<String> args) {
        Result result = tryRun(args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", args.subList(0, Math.min(3, args.size())))
                    + " failed (" + result.exitCode() + "): " + result.output());
        }
        return result.output();
    }

    Result tryRun(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(args);
        try {
            Path err = Files.createTempFile("podman", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s");
                }
                String stdout = new String(out, StandardCharsets.UTF_8).trim();
                return new Result(process.exitValue(),
                        process.exitValue() == 0 ? stdout : Files.readString(err).trim());
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Result(-1, "podman could not be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Removes every container, then every volume and network of this run (the run label finds them). */
    void removeEverything() {
        String filter = "label=" + label();
        for (String id : tryRun(List.of("ps", "-aq", "--filter", filter)).output().split("\\s+")) {
            if (!id.isBlank()) {
                tryRun(List.of("rm", "-f", "-t", "0", id));
            }
        }
        for (String name : tryRun(List.of("volume", "ls", "-q", "--filter", filter)).output().split("\\s+")) {
            if (!name.isBlank()) {
                tryRun(List.of("volume", "rm", "-f", name));
            }
        }
        for (String name : tryRun(List.of("network", "ls", "-q", "--filter", filter)).output().split("\\s+")) {
            if (!name.isBlank()) {
                tryRun(List.of("network", "rm", "-f", name));
            }
        }
    }

    record Result(int exitCode, String output) {
    }
}
