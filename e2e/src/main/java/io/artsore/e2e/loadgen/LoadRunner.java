package io.artsore.e2e.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * Runs one load test: obtains a token, uploads the files that reads need (not measured), then lets
 * {@code clients} virtual threads perform operations chosen from the mix until the op count or the
 * duration is used up. Every operation is counted exactly once, as a success or as an error.
 */
public final class LoadRunner {

    private static final int MAX_ERROR_KINDS = 20;
    // generous: on a loaded benchmark machine a TLS connect (handshake included) can take over 10 s
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    private final LoadConfig config;
    private final Map<OpType, OpStats> stats = new EnumMap<>(OpType.class);
    private final Map<String, LongAdder> errorSamples = new ConcurrentHashMap<>();
    private final FilePool pool = new FilePool();

    public LoadRunner(LoadConfig config) {
        this.config = config;
        for (OpType op : OpType.values()) {
            stats.put(op, new OpStats());
        }
    }

    public Report run() throws IOException, InterruptedException {
        HttpClient client = HttpClientFactory.create(config.insecure(), CONNECT_TIMEOUT);
        Target target = createTarget(client);
        if (config.mix().needsFiles()) {
            prepareFiles(target);
        }
        AtomicLong tickets = config.ops() > 0 ? new AtomicLong(config.ops()) : null;
        long start = System.nanoTime();
        runClients(() -> clientLoop(target, start, tickets));
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Report(config.describe(), elapsed, stats, snapshotErrors());
    }

    private Target createTarget(HttpClient client) throws IOException, InterruptedException {
        if (config.target() == LoadConfig.TargetKind.WEBDAV) {
            return new WebDavTarget(client, config.url());
        }
        String token = config.token();
        if (token == null && config.jwksMockUrl() != null) {
            long ttl = 3600 + (config.duration() == null ? 0 : config.duration().toSeconds());
            token = TokenFetcher.fetch(client, config.jwksMockUrl(), config.sub(), ttl);
        }
        return new SeTarget(client, config.url(), token, config.listLimit());
    }

    /** Uploads --prepare files in parallel; a failure here aborts the run (reads would be meaningless). */
    private void prepareFiles(Target target) throws InterruptedException {
        AtomicLong remaining = new AtomicLong(config.prepare());
        List<String> failures = new ArrayList<>();
        runClients(() -> {
            RandomGenerator random = ThreadLocalRandom.current();
            while (remaining.getAndDecrement() > 0) {
                try {
                    pool.add(target.upload(config.size().next(random), random));
                } catch (IOException | OpFailedException e) {
                    synchronized (failures) {
                        failures.add(describe(e));
                    }
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        if (!failures.isEmpty()) {
            throw new UncheckedIOException(new IOException("preparing files failed: " + failures.getFirst()));
        }
    }

    /** Performs operations until the deadline passes or the tickets (when counting ops) run out. */
    private void clientLoop(Target target, long startNanos, AtomicLong tickets) {
        RandomGenerator random = ThreadLocalRandom.current();
        Target.ListCursor cursor = new Target.ListCursor();
        long deadline = config.duration() == null ? Long.MAX_VALUE : startNanos + config.duration().toNanos();
        while (System.nanoTime() < deadline && (tickets == null || tickets.getAndDecrement() > 0)) {
            OpType op = config.mix().pick(random);
            long opStart = System.nanoTime();
            try {
                long bytes = perform(target, op, random, cursor);
                stats.get(op).success((System.nanoTime() - opStart) / 1000, bytes);
            } catch (IOException | OpFailedException | UnsupportedOperationException e) {
                stats.get(op).error();
                recordError(op, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void runClients(Runnable body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < config.clients(); i++) {
            threads.add(Thread.ofVirtual().name("loadgen-client-" + i).start(body));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private long perform(Target target, OpType op, RandomGenerator random, Target.ListCursor cursor)
            throws IOException, InterruptedException, OpFailedException {
        return switch (op) {
            case UPLOAD -> {
                StoredFile file = target.upload(config.size().next(random), random);
                pool.add(file);
                yield file.size();
            }
            case DOWNLOAD -> target.download(pool.pick(random));
            case RANGE -> {
                StoredFile file = pool.pick(random);
                long length = Math.min(config.rangeSize(), file.size());
                long first = random.nextLong(file.size() - length + 1);
                yield target.downloadRange(file, first, first + length - 1);
            }
            case LIST -> target.listPage(cursor);
            case METADATA -> target.metadata(pool.pick(random));
        };
    }

    private void recordError(OpType op, Exception e) {
        String key = op.label() + ": " + describe(e);
        LongAdder counter = errorSamples.get(key);
        if (counter == null && errorSamples.size() < MAX_ERROR_KINDS) {
            counter = errorSamples.computeIfAbsent(key, k -> new LongAdder());
        }
        if (counter != null) {
            counter.increment();
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private Map<String, Long> snapshotErrors() {
        Map<String, Long> snapshot = new TreeMap<>();
        errorSamples.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }
}
