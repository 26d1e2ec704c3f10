package io.artsore.e2e.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The crash tests' clients and their log of acknowledged operations, and the checks of that log against what
 * the element serves and what is on disk after a crash and restart (shared by the standalone and the
 * replicated crash tests).
 *
 * <p>Workers upload, patch and delete their own files, one operation at a time; an operation without an
 * answer stays pending (either outcome is allowed for it). After a restart: every acknowledged upload is listed
 * and downloads byte-identical (new ones and a sample of old ones each cycle, all of them at the end); every
 * acknowledged delete and patch is applied; anything else visible is an upload whose response was lost,
 * complete and correct (never a partial); no leftovers in the data dir and empty WAL dirs; the listing equals
 * the attr.json files on disk (ids, statuses and descriptions).
 */
final class AckedOperations {
    static final int WORKERS = 4;
    private static final int OLD_FILES_SAMPLED_PER_CYCLE = 10;

    /** One file a worker uploaded and got a 201 for; only its owner changes it while load runs. */
    private static final class Tracked {
        final String fileId;
        final String name;
        final String sha256;
        final long size;
        String description;
        String pendingDescription;
        boolean deleted;
        boolean deletePending;

        Tracked(String fileId, String name, String sha256, long size) {
            this.fileId = fileId;
            this.name = name;
            this.sha256 = sha256;
            this.size = size;
        }
    }

    private record Content(String sha256, long size) {
    }

    /** Thrown by a worker when its operation's outcome is unknown: it stops for this cycle, or waits and retries. */
    private static final class OutcomeUnknown extends Exception {
        final long retryAfterSeconds;

        OutcomeUnknown(long retryAfterSeconds) {
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private static boolean pause(long seconds) {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private final boolean leaderMayBeAway;
    /** GC runs with no grace: a deleted file may be gone from the listing (purged) instead of listed deleted. */
    private boolean deletedMayBePurged;
    /** A worker answered 503 LEADER_UNAVAILABLE waits Retry-After and goes on, as a client would (see below). */
    private boolean retriesUnavailable;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    /** Uploads sent whose answer did not arrive, by their unique file name. */
    private final Map<String, Content> unanswered = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ackedUploads = new AtomicLong();
    private final AtomicLong ackedPatches = new AtomicLong();
    private final AtomicLong ackedDeletes = new AtomicLong();
    private final AtomicLong unknownOutcomes = new AtomicLong();
    private final Set<String> downloadedOnce = new HashSet<>();
    private long lostResponsesPresent;
    private long lostResponsesAbsent;
    private long downloadsVerified;
    private long patchesVerified;
    private long deletesVerified;
    private long purgesSeen;

    /**
     * @param leaderMayBeAway replicated: a write answered 503 {@code LEADER_UNAVAILABLE} (the leader died while a
     *                        follower proxied it, or none is elected yet) has an unknown outcome, like a cut
     *                        connection; standalone, that answer is a failure
     */
    AckedOperations(boolean leaderMayBeAway) {
        this.leaderMayBeAway = leaderMayBeAway;
    }

    /** GC purges deleted files while the load runs: an acknowledged delete may show as absence. */
    AckedOperations deletedMayBePurged() {
        this.deletedMayBePurged = true;
        return this;
    }

    /**
     * Planned handovers (a rolling restart) rather than crashes: a worker that gets 503 {@code LEADER_UNAVAILABLE}
     * keeps its unknown outcome, waits the answer's Retry-After and carries on, so the load stays steady through
     * the handover; a file whose patch has an unknown outcome is not patched again (its description may be either).
     */
    AckedOperations retriesUnavailable() {
        this.retriesUnavailable = true;
        return this;
    }

    List<String> failures() {
        return failures;
    }

    long ackedUploads() {
        return ackedUploads.get();
    }

    /** Adds the figures of the log to a summary line. */
    Summary figures(Summary summary) {
        if (deletedMayBePurged) {
            summary.put("purged_after_delete", purgesSeen);
        }
        return summary.put("workers", WORKERS).put("acked_uploads", ackedUploads).put("acked_patches", ackedPatches)
                .put("acked_deletes", ackedDeletes).put("downloads_verified", downloadsVerified)
                .put("patches_verified", patchesVerified).put("deletes_verified", deletesVerified)
                .put("lost_responses_present", lostResponsesPresent)
                .put("lost_responses_absent", lostResponsesAbsent).put("unknown_outcomes", unknownOutcomes)
                .put("failures", failures.size());
    }

    /** What the load does at its random moment (kill the element or its leader). */
    interface Crash {
        void run() throws Exception;
    }

    /**
     * Runs {@link #WORKERS} clients (worker {@code w} talks to {@code targets.get(w % targets.size())}) until
     * {@code crash} has run 0.2–1.7 s in, then waits for every client to give up.
     */
    void runLoadUntil(Crash crash, List<SeClient> targets, String token, int cycle, Random schedule) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try {
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                long seed = schedule.nextLong();
                SeClient client = targets.get(w % targets.size());
                workers.add(pool.submit(() -> work(client, token, cycle, worker, new Random(seed), stop)));
            }
            Thread.sleep(200 + schedule.nextInt(1500));
            crash.run();
        } finally {
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
    }

    private void work(SeClient client, String token, int cycle, int worker, Random random, AtomicBoolean stop) {
        List<Tracked> mine = new ArrayList<>(tracked.values().stream()
                .filter(t -> t.name.contains("-w" + worker + "-") && !t.deleted).toList());
        AtomicInteger counter = new AtomicInteger();
        while (!stop.get()) {
            int dice = random.nextInt(100);
            try {
                if (dice < 60 || mine.isEmpty()) {
                    upload(client, token, "c" + cycle + "-w" + worker + "-" + counter.incrementAndGet() + ".bin",
                            random, mine);
                } else if (dice < 82) {
                    Tracked t = mine.get(random.nextInt(mine.size()));
                    if (t.pendingDescription != null) {
                        continue;
                    }
                    String description = "d" + random.nextInt(1_000_000);
                    t.pendingDescription = description;
                    HttpResponse<byte[]> r = client.patchDescription(token, t.fileId, description);
                    if (expect(r, 200, "patch " + t.fileId)) {
                        t.description = description;
                        t.pendingDescription = null;
                        ackedPatches.incrementAndGet();
                    }
                } else {
                    Tracked t = mine.remove(random.nextInt(mine.size()));
                    t.deletePending = true;
                    HttpResponse<byte[]> r = client.delete(token, t.fileId);
                    if (expect(r, 204, "delete " + t.fileId)) {
                        t.deleted = true;
                        t.deletePending = false;
                        ackedDeletes.incrementAndGet();
                    }
                }
            } catch (OutcomeUnknown e) {
                unknownOutcomes.incrementAndGet();
                if (!retriesUnavailable || !pause(e.retryAfterSeconds)) {
                    return;
                }
            } catch (IOException e) {
                // the element (or the leader behind a follower) died: the outcome is checked after restart
                unknownOutcomes.incrementAndGet();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void upload(SeClient client, String token, String name, Random random, List<Tracked> mine)
            throws IOException, InterruptedException, OutcomeUnknown {
        byte[] content = new byte[size(random)];
        random.nextBytes(content);
        String sha = SeClient.sha256(content);
        unanswered.put(name, new Content(sha, content.length));
        HttpResponse<byte[]> r = client.upload(token, name, content, Map.of());
        if (expect(r, 201, "upload " + name)) {
            JsonNode meta = SeClient.json(r);
            Tracked t = new Tracked(meta.get("file_id").asText(), name, sha, content.length);
            tracked.put(t.fileId, t);
            mine.add(t);
            unanswered.remove(name);
            ackedUploads.incrementAndGet();
        }
    }

    /** Mostly small files, some large enough that a kill lands mid-transfer. */
    private static int size(Random random) {
        int dice = random.nextInt(100);
        if (dice < 70) {
            return random.nextInt(16 * 1024);
        }
        return dice < 95 ? 16 * 1024 + random.nextInt(240 * 1024) : 256 * 1024 + random.nextInt(2 * 1024 * 1024);
    }

    private boolean expect(HttpResponse<byte[]> r, int status, String what) throws OutcomeUnknown {
        if (r.statusCode() == status) {
            return true;
        }
        if (leaderMayBeAway && r.statusCode() == 503 && SeClient.text(r).contains("LEADER_UNAVAILABLE")) {
            throw new OutcomeUnknown(r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
        }
        failures.add(what + " answered " + r.statusCode() + ": " + SeClient.text(r));
        return false;
    }

    /** No leftovers in the data dir, every WAL dir empty: recovery finished what the crash interrupted. */
    void checkDisk(DiskState disk) {
        if (!disk.leftovers().isEmpty()) {
            failures.add("leftovers in the data dir after recovery: " + disk.leftovers());
        }
        if (!disk.walFiles().isEmpty()) {
            failures.add("WAL dir not empty after recovery: " + disk.walFiles());
        }
    }

    /**
     * Checks the log against {@code client}'s listing and the disk (the rules in the class comment) and
     * downloads the new and a sample of the old acknowledged uploads. Once per restart: it also settles the
     * pending operations.
     */
    void checkLog(SeClient client, String token, DiskState disk, Random random) throws Exception {
        Map<String, JsonNode> listed = listing(client, token);
        compareWithDisk("listing", listed, disk).ifPresent(failures::add);
        for (JsonNode item : listed.values()) {
            Tracked t = tracked.get(item.get("file_id").asText());
            if (t == null) {
                adoptLostResponse(item);
            } else {
                checkTracked(t, item, disk);
            }
        }
        for (Tracked t : List.copyOf(tracked.values())) {
            if (!listed.containsKey(t.fileId)) {
                if (deletedMayBePurged && (t.deleted || t.deletePending)) {
                    tracked.remove(t.fileId); // purged by GC after its delete
                    deletesVerified += t.deleted ? 1 : 0;
                    purgesSeen++;
                } else {
                    failures.add("acknowledged upload lost: " + t.fileId + " " + t.name);
                }
            }
        }
        lostResponsesAbsent += unanswered.size();
        unanswered.clear();
        List<Tracked> toDownload = new ArrayList<>(
                tracked.values().stream().filter(t -> !downloadedOnce.contains(t.fileId)).toList());
        List<Tracked> old = new ArrayList<>(
                tracked.values().stream().filter(t -> downloadedOnce.contains(t.fileId)).toList());
        Collections.shuffle(old, random);
        toDownload.addAll(old.subList(0, Math.min(OLD_FILES_SAMPLED_PER_CYCLE, old.size())));
        verifyDownloads(client, token, toDownload);
    }

    /**
     * Index == recount for {@code client}, which may need a moment to catch up (a follower's index follows the
     * change journal): polls up to {@code settle}, then records what still differs.
     */
    void checkIndexEqualsRecount(String who, SeClient client, String token, DiskState disk, Duration settle)
            throws Exception {
        long deadline = System.nanoTime() + settle.toNanos();
        while (true) {
            Optional<String> difference = compareWithDisk(who, listing(client, token), disk);
            if (difference.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                failures.add(difference.get());
                return;
            }
            Thread.sleep(100);
        }
    }

    /** {@code POST /api/v1/maintenance/reconcile} answers 200 and reports no issue; else a failure with the log. */
    boolean reconcileFindsNothing(SeClient client, String adminToken, SeChild logOwner) throws Exception {
        HttpResponse<byte[]> r = client.send("POST", "/api/v1/maintenance/reconcile", adminToken, null, null);
        if (r.statusCode() != 200 || SeClient.json(r).get("issues").size() != 0) {
            failures.add("reconcile after recovery: " + r.statusCode() + " " + SeClient.text(r) + "\n"
                    + logOwner.logTail());
            return false;
        }
        return true;
    }

    /** Every acknowledged upload, once more. */
    void verifyAllDownloads(SeClient client, String token) throws IOException, InterruptedException {
        verifyDownloads(client, token, tracked.values());
    }

    private Map<String, JsonNode> listing(SeClient client, String token) throws Exception {
        Map<String, JsonNode> listed = new HashMap<>();
        for (JsonNode item : client.listAll(token)) {
            if (listed.put(item.get("file_id").asText(), item) != null) {
                failures.add("listed twice: " + item.get("file_id").asText());
            }
        }
        return listed;
    }

    /**
     * What differs between a listing and the attr.json files and tombstones on disk (ids, statuses,
     * descriptions), if anything. The listing may show more: a replica keeps a {@code deleted} tombstone in
     * memory for a file that vanished under it (an unacknowledged upload another replica's recovery rolled
     * back), so offsets do not shift.
     */
    private static Optional<String> compareWithDisk(String who, Map<String, JsonNode> listed,
                                                              DiskState disk) {
        Map<String, String> expected = disk.listedStatuses();
        Set<String> onlyOnDisk = new HashSet<>(expected.keySet());
        onlyOnDisk.removeAll(listed.keySet());
        Set<String> onlyListedLive = new HashSet<>();
        listed.forEach((id, item) -> {
            if (!expected.containsKey(id) && !item.get("status").asText().equals("deleted")) {
                onlyListedLive.add(id);
            }
        });
        if (!onlyOnDisk.isEmpty() || !onlyListedLive.isEmpty()) {
            return Optional.of(who + ": index != recount: only listed (and not as a tombstone) " + onlyListedLive
                    + ", only on disk " + onlyOnDisk);
        }
        for (var entry : expected.entrySet()) {
            String status = listed.get(entry.getKey()).get("status").asText();
            if (!entry.getValue().equals(status)) {
                return Optional.of(who + ": status of " + entry.getKey() + " listed " + status
                        + " but on disk " + entry.getValue());
            }
        }
        for (var entry : disk.attrs().entrySet()) { // a stale description would pass every status check
            String listedDescription = listed.get(entry.getKey()).path("description").asText(null);
            String diskDescription = entry.getValue().path("description").asText(null);
            if (!Objects.equals(listedDescription, diskDescription)) {
                return Optional.of(who + ": description of " + entry.getKey() + " listed " + listedDescription
                        + " but on disk " + diskDescription);
            }
        }
        return Optional.empty();
    }

    /** A file nobody got a 201 for: allowed only as a complete, correct upload whose response was lost. */
    private void adoptLostResponse(JsonNode item) {
        String name = item.get("original_filename").asText();
        Content sent = unanswered.remove(name);
        if (sent == null || sent.size() != item.get("size").asLong()
                || !sent.sha256().equals(item.get("checksum").asText())) {
            failures.add("unacknowledged or partial file visible: " + item);
            return;
        }
        Tracked t = new Tracked(item.get("file_id").asText(), name, sent.sha256(), sent.size());
        t.deleted = item.get("status").asText().equals("deleted");
        tracked.put(t.fileId, t);
        lostResponsesPresent++;
    }

    private void checkTracked(Tracked t, JsonNode item, DiskState disk) {
        if (item.get("size").asLong() != t.size || !t.sha256.equals(item.get("checksum").asText())) {
            failures.add("metadata of " + t.fileId + " changed: " + item);
        }
        String status = item.get("status").asText();
        if (t.deleted && !status.equals("deleted")) {
            failures.add("acknowledged delete not applied: " + t.fileId + " is " + status);
        } else if (!t.deleted && !t.deletePending && !status.equals("active")) {
            failures.add("file " + t.fileId + " is " + status + " without a delete");
        }
        if (t.deleted) {
            deletesVerified++;
        }
        t.deleted = status.equals("deleted");
        t.deletePending = false;
        String description = item.hasNonNull("description") ? item.get("description").asText() : null;
        boolean matches = Objects.equals(description, t.description)
                || (t.pendingDescription != null && t.pendingDescription.equals(description));
        if (!matches) {
            failures.add("acknowledged patch not applied: " + t.fileId + " has " + description + ", expected "
                    + t.description + (t.pendingDescription == null ? "" : " or " + t.pendingDescription)
                    + "; on disk " + disk.attrs().get(t.fileId));
        } else if (t.description != null) {
            patchesVerified++;
        }
        t.description = description;
        t.pendingDescription = null;
    }

    private void verifyDownloads(SeClient client, String token, Iterable<Tracked> files)
            throws IOException, InterruptedException {
        for (Tracked t : files) {
            HttpResponse<byte[]> r = client.get("/api/v1/files/" + t.fileId + "/download", token);
            if (t.deleted) {
                if (r.statusCode() != 404) {
                    failures.add("deleted file " + t.fileId + " downloads with " + r.statusCode());
                }
            } else if (r.statusCode() != 200 || !t.sha256.equals(SeClient.sha256(r.body()))) {
                failures.add("acknowledged upload " + t.fileId + " not byte-identical: " + r.statusCode()
                        + " size " + r.body().length + " expected " + t.size);
            }
            downloadsVerified++;
            downloadedOnce.add(t.fileId);
        }
    }
}
