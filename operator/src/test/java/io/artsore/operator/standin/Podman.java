package io.artsore.operator.standin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The podman command line, one bounded call at a time; every object it makes carries the run's label. */
final class Podman {
    static final String RUN_LABEL = "artsore.standin.run";
    private static final long TIMEOUT_SECONDS = 120;

    private final String runId;
    private final Set<Process> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

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

    /** Fails at once after {@link #removeEverything()}: nothing may start a container once the stand-in stops. */
    Result tryRun(List<String> args) {
        if (closed) {
            return new Result(-1, "the stand-in is stopping");
        }
        return exec(args);
    }

    private Result exec(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(args);
        try {
            Path err = Files.createTempFile("podman", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
                inFlight.add(process);
                byte[] out;
                try {
                    out = process.getInputStream().readAllBytes();
                    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s");
                    }
                } finally {
                    inFlight.remove(process);
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

    /**
     * Refuses further commands, lets those under way finish (a {@code podman run} could otherwise outlive the
     * clean-up), then removes every container, volume and network of this run (the run label finds them).
     * Synchronized: a second caller (the shutdown hook) waits for a clean-up under way instead of cutting it short.
     */
    synchronized void removeEverything() {
        closed = true;
        for (Process process : List.copyOf(inFlight)) {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String filter = "label=" + label();
        for (String id : exec(List.of("ps", "-aq", "--filter", filter)).output().split("\\s+")) {
            if (!id.isBlank()) {
                exec(List.of("rm", "-f", "-t", "0", id));
            }
        }
        for (String name : exec(List.of("volume", "ls", "-q", "--filter", filter)).output().split("\\s+")) {
            if (!name.isBlank()) {
                exec(List.of("volume", "rm", "-f", name));
            }
        }
        for (String name : exec(List.of("network", "ls", "-q", "--filter", filter)).output().split("\\s+")) {
            if (!name.isBlank()) {
                exec(List.of("network", "rm", "-f", name));
            }
        }
    }

    record Result(int exitCode, String output) {
    }
}
