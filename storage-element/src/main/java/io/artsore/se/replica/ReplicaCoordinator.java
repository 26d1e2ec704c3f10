package io.artsore.se.replica;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.api.Authorizer;
import io.artsore.se.api.Json;
import io.artsore.se.api.WriteRouting;
import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.artsore.se.logging.Events;
import io.artsore.se.logging.ScheduledTasks;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.LeaderOnlyWork;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.WriteFence;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Leadership of one replica in a replicated element (docs/contract.md §14, design §3): election by the
 * {@link LeaderLock}, {@code .leader.info} with a monotonically increasing epoch and a heartbeat, fencing of every
 * write commit, step-down on any doubt, and the follower's index and mode refresh from the {@link ChangeJournal}.
 *
 * <p>Threads: a control thread runs election attempts and heartbeats (and step-downs, so they never race each
 * other); a sync thread runs the follower refresh; a resync thread runs full index resyncs, which take long on
 * a large store. Request threads pass through {@link #guard}, and poll the journal on an index miss
 * ({@link #catchUpOnMiss}).
 */
public final class ReplicaCoordinator implements ReplicaStatus, WriteFence, AutoCloseable {
    /** Followers poll the journal at least this often, so new files show up well within a second. */
    static final Duration MAX_FOLLOWER_POLL = Duration.ofMillis(200);
    static final Duration JOURNAL_RETENTION = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(ReplicaCoordinator.class.getName());

    private final SeConfig config;
    private final Clock clock;
    private final LeaderLock lock;
    private final ChangeJournal journal;
    private final ChangeJournal.Tail tail;
    private final ReentrantReadWriteLock fence = new ReentrantReadWriteLock();
    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "replica-control"));
    private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "replica-sync"));
    /** Full index resyncs (a new leader's, one a journal entry asks for): minutes on a large store over NFS. */
    private final ExecutorService resyncs = Executors.newSingleThreadExecutor(r -> daemon(r, "replica-resync"));
    private final LeaderWatch watch;
    private final LeaderProxy proxy;

    private volatile boolean leading;
    private volatile LeaderInfo own;
    private volatile String advertisedAddress;
    private volatile PeerAddresses peers;
    private volatile String refusedLeaderAddress;
    private volatile String acceptedLeaderAddress;
    private StorageEngine engine;
    private LeaderOnlyWork work = LeaderOnlyWork.NONE;
    private ScheduledFuture<?> followerTask;
    private volatile IndexResync resync = StorageEngine::resyncIndexFromDisk;
    /** Journal polls started; written under this object's lock. */
    private volatile long journalPolls;
    private Instant lastPrune = Instant.EPOCH;

    private ReplicaCoordinator(SeConfig config, Clock clock, LeaderLock lock, ChangeJournal journal) throws IOException {
        this.config = config;
        this.clock = clock;
        this.lock = lock;
        this.journal = journal;
        this.tail = journal.tailFromNow();
        this.watch = new LeaderWatch(config.dataDir(), staleAfter(config));
        this.proxy = new LeaderProxy(config);
    }

    /**
     * Opens the lock file and positions the journal reader. Call before {@link StorageEngine#open}, so that every
     * change after the engine's startup scan is read from the journal.
     */
    public static ReplicaCoordinator open(SeConfig config, Clock clock) throws IOException {
        Files.createDirectories(config.dataDir());
        LeaderLock lock = new LeaderLock(config.dataDir());
        try {
            return new ReplicaCoordinator(config, clock, lock, new ChangeJournal(config.dataDir()));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** A leader whose heartbeat has not moved for this long is presumed gone (followers then answer 503). */
    static Duration staleAfter(SeConfig config) {
        Duration d = config.leaderHeartbeatInterval().multipliedBy(3);
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /**
     * Starts following and competing for leadership. {@code port} is the port actually listened on (the
     * advertised default when SE_ADVERTISED_ADDRESS is unset).
     */
    public synchronized void start(StorageEngine engine, LeaderOnlyWork work, int port) throws IOException {
        this.engine = engine;
        this.work = work;
        this.advertisedAddress = config.advertisedAddress().orElseGet(() -> defaultAddress(port));
        this.peers = new PeerAddresses(advertisedAddress, config.peerAddresses());
        if (engine.startupReport().recovery().rolledBack() > 0) {
            // recovery removed interrupted writes that other replicas may have indexed; ids are not known
            journal.append(0, clock.instant(), ChangeJournal.RESYNC);
        }
        startFollowerSync();
        control.scheduleWithFixedDelay(safely("election", this::electionTick), 0,
                config.electionRetryInterval().toMillis(), TimeUnit.MILLISECONDS);
        control.scheduleWithFixedDelay(safely("heartbeat", this::heartbeatTick),
                config.leaderHeartbeatInterval().toMillis(), config.leaderHeartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private String defaultAddress(int port) {
        String bind = config.bindAddress();
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind + ":" + port;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName() + ":" + port;
        } catch (IOException e) {
            return "localhost:" + port;
        }
    }

    // ---- ReplicaStatus ----

    @Override
    public String replicaMode() {
        return "replicated";
    }

    @Override
    public String role() {
        return leading ? "leader" : "follower";
    }

    @Override
    public Optional<String> leaderAddress() {
        if (leading) {
            return Optional.of(own.address());
        }
        return watch.liveLeader().map(LeaderInfo::address).filter(a -> !a.equals(advertisedAddress))
                .filter(this::isPeer);
    }

    /** Refuses (and reports once) a leader address that is not a sibling replica's (security review H1). */
    private boolean isPeer(String address) {
        if (address.equals(acceptedLeaderAddress)) { // every forwarded write asks; the leader rarely changes
            return true;
        }
        PeerAddresses known = peers; // null until start(): no leader is known before
        if (known != null && known.allows(address)) {
            acceptedLeaderAddress = address;
            return true;
        }
        if (!address.equals(refusedLeaderAddress)) {
            refusedLeaderAddress = address;
            Events.log(LOG, Level.SEVERE, "leader_address_refused", "address", address, "advertised",
                    advertisedAddress, "reason", "not a peer of this replica; writes are refused until it is");
        }
        return false;
    }

    /** host:port under which the other replicas reach this one (set by {@link #start}). */
    String advertisedAddress() {
        return advertisedAddress;
    }

    /** Routing of the write endpoints: served here while leading, otherwise forwarded to the leader. */
    public WriteRouting writeRouting(Authorizer auth) {
        return new ReplicaWriteRouting(this, auth, proxy);
    }

    public boolean isLeader() {
        return leading;
    }

    /** Our epoch while leading, else the epoch of the leader we last saw (0 when none). */
    public long epoch() {
        LeaderInfo mine = own;
        if (leading && mine != null) {
            return mine.epoch();
        }
        return watch.lastSeen().map(LeaderInfo::epoch).orElse(0L);
    }

    public void registerMetrics(SeMetrics metrics) {
        String role = "This replica's role (1) among leader and follower";
        metrics.gauge("se_replica_role", role, Map.of("role", "leader"), () -> leading ? 1 : 0);
        metrics.gauge("se_replica_role", role, Map.of("role", "follower"), () -> leading ? 0 : 1);
        metrics.gauge("se_replica_epoch", "Leader epoch: ours when leading, else the leader's we know", Map.of(),
                this::epoch);
    }

    // ---- WriteFence ----

    @Override
    public <T> T guard(UUID fileId, Step<T> step) throws IOException {
        fence.readLock().lock();
        try {
            if (!leading) {
                throw notLeader();
            }
            try {
                lock.check();
                long onDisk = LeaderInfo.read(config.dataDir()).map(LeaderInfo::epoch).orElse(-1L);
                if (onDisk != own.epoch()) {
                    throw new IOException("epoch in " + LeaderInfo.FILE_NAME + " is " + onDisk + ", ours " + own.epoch());
                }
            } catch (IOException e) {
                control.execute(() -> stepDown("fence check failed before a write: " + e.getMessage()));
                throw notLeader();
            }
            try {
                return step.run();
            } finally {
                if (fileId != null) {
                    announce(own.epoch(), fileId.toString());
                }
            }
        } finally {
            fence.readLock().unlock();
        }
    }

    private void announce(long epoch, String target) {
        try {
            journal.append(epoch, clock.instant(), target);
        } catch (IOException e) {
            control.execute(() -> stepDown("cannot append to the change journal: " + e.getMessage()));
        }
    }

    static SeException notLeader() {
        return new SeException(ErrorCode.LEADER_UNAVAILABLE, "this replica is not the leader; retry shortly");
    }

    /** Test hook for in-process tests: the lock check fails from now on, as after a lost NFS lease. */
    void breakLockForTest() {
        lock.breakForTest();
    }

    // ---- control thread ----

    private void electionTick() throws IOException {
        if (leading || !lock.tryAcquire()) {
            return;
        }
        try {
            promote();
        } catch (IOException | RuntimeException e) {
            Events.log(LOG, Level.WARNING, "promotion_failed", e);
            stepDown("promotion failed");
        }
    }

    private void promote() throws IOException {
        long previous;
        try {
            previous = LeaderInfo.read(config.dataDir()).map(LeaderInfo::epoch).orElse(0L);
        } catch (IOException e) {
            // unreadable: an epoch above any counter value keeps epochs increasing
            Events.log(LOG, Level.WARNING, "leader_info_unreadable", "reason", e.getMessage());
            previous = clock.millis();
        }
        long now = clock.millis();
        LeaderInfo mine = new LeaderInfo(advertisedAddress, previous + 1, now, now);
        mine.write(config.dataDir());
        stopFollowerSync();
        applyJournal(); // every write the previous leader acknowledged is announced there
        engine.reloadPersistedMode();
        fence.writeLock().lock();
        try {
            own = mine;
            leading = true;
        } finally {
            fence.writeLock().unlock();
        }
        work.startLeading();
        Events.log(LOG, Level.INFO, "replica_promoted", "epoch", mine.epoch(), "address", mine.address());
        resyncs.execute(ScheduledTasks.surviving(LOG, "adoption", () -> adoptPredecessorsWrites(mine)));
    }

    /**
     * What the previous leader committed but did not announce (it died in between; such a write was never
     * acknowledged) becomes visible everywhere. Runs after this replica leads: a full resync reads every attr.json,
     * and on a large store over NFS that takes minutes in which heartbeats must go on and writes be served. The
     * resync is an index swap that keeps the writes made during it (security review L11).
     */
    private void adoptPredecessorsWrites(LeaderInfo mine) {
        Set<UUID> adopted;
        try {
            adopted = resync.resync(engine);
        } catch (IOException | RuntimeException e) {
            Events.log(LOG, Level.WARNING, "adoption_failed", e, "epoch", mine.epoch());
            return;
        }
        if (leading && own.epoch() == mine.epoch()) { // a journal entry is only a hint: one too many is harmless
            for (UUID id : adopted) {
                announce(mine.epoch(), id.toString());
            }
        }
        Events.log(LOG, Level.INFO, "replica_adopted", "epoch", mine.epoch(), "adopted_changes", adopted.size());
    }

    /** How the index is brought in line with the disk; replaced only by tests that need a slow one. */
    @FunctionalInterface
    interface IndexResync {
        Set<UUID> resync(StorageEngine engine) throws IOException;
    }

    /** Test hook: a new leader's adoption runs {@code r} from now on. */
    void resyncWith(IndexResync r) {
        this.resync = r;
    }

    private void heartbeatTick() throws IOException {
        if (!leading) {
            return;
        }
        try {
            lock.check();
            LeaderInfo onDisk = LeaderInfo.read(config.dataDir())
                    .orElseThrow(() -> new IOException(LeaderInfo.FILE_NAME + " vanished"));
            if (onDisk.epoch() != own.epoch() || !onDisk.address().equals(own.address())) {
                throw new IOException(LeaderInfo.FILE_NAME + " names epoch " + onDisk.epoch() + " at "
                        + onDisk.address());
            }
            LeaderInfo beat = own.withHeartbeat(clock.millis());
            beat.write(config.dataDir());
            own = beat;
        } catch (IOException | RuntimeException e) {
            stepDown("heartbeat failed: " + e.getMessage());
            return;
        }
        applyJournal(); // restarted replicas announce recovery rollbacks; the leader must see them too
        Instant now = clock.instant();
        if (now.isAfter(lastPrune.plus(Duration.ofMinutes(1)))) {
            lastPrune = now;
            journal.prune(JOURNAL_RETENTION, now);
        }
    }

    /** Refuses writes at once (waiting only for commits already past the fence), then lets go of the lock. */
    void stepDown(String reason) {
        fence.writeLock().lock();
        try {
            if (!leading) {
                lock.release();
                startFollowerSync();
                return;
            }
            leading = false;
        } finally {
            fence.writeLock().unlock();
        }
        lock.release();
        Events.log(LOG, Level.WARNING, "replica_stepped_down", "epoch", own.epoch(), "reason", reason);
        try {
            work.stopLeading();
        } finally {
            startFollowerSync();
        }
    }

    // ---- follower refresh ----

    private synchronized void startFollowerSync() {
        if (followerTask == null && !sync.isShutdown()) {
            long period = Math.min(MAX_FOLLOWER_POLL.toMillis(), config.indexRefreshInterval().toMillis());
            followerTask = sync.scheduleWithFixedDelay(safely("follower_refresh", this::followerTick), 0,
                    period, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void stopFollowerSync() {
        if (followerTask != null) {
            followerTask.cancel(false);
            followerTask = null;
        }
    }

    /**
     * After the leader accepted a write this follower forwarded: applies the change journal (the leader announced
     * this write, and every earlier one, before answering), then re-reads the file it touched (named in the path,
     * or in the answer of an upload), or the persisted mode when the write named no file, so the client's next
     * read here sees its own write. Applying the journal first keeps this index a prefix of the leader's: an
     * upload forwarded here never lands in the list order before an older upload this replica has not seen, which
     * would shift the offsets of a client paging across replicas. A failure only delays that to the next poll.
     */
    void catchUpAfterForwardedWrite(Optional<String> fileIdInPath, byte[] answer) {
        try {
            applyJournal();
            Optional<UUID> id = fileIdInPath.or(() -> fileIdIn(answer)).flatMap(ReplicaCoordinator::uuid);
            if (id.isPresent()) {
                engine.reloadFromDisk(id.get());
            } else {
                engine.reloadPersistedMode();
            }
        } catch (IOException | RuntimeException e) {
            Events.log(LOG, Level.WARNING, "follower_catch_up_failed", "reason", String.valueOf(e));
        }
    }

    private static Optional<String> fileIdIn(byte[] answer) {
        try {
            JsonNode id = Json.mapper().readTree(answer).path("file_id");
            return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void followerTick() throws IOException {
        watch.refresh();
        applyJournal();
        engine.reloadPersistedMode();
        engine.forgetExpiredTombstones();
    }

    /**
     * For a request that missed the index ({@link FreshLookup}): applies the journal, unless a poll that started
     * after this call did so meanwhile, so a burst of misses shares polls instead of queueing one each.
     */
    public void catchUpOnMiss() throws IOException {
        catchUpSince(journalPolls);
    }

    /** Journal polls so far (tests). */
    long journalPolls() {
        return journalPolls;
    }

    private synchronized void catchUpSince(long pollsSeen) throws IOException {
        if (engine != null && journalPolls == pollsSeen) { // before start() the startup scan is all there is
            applyJournal();
        }
    }

    /**
     * Applies other writers' journal entries to the index (one reader at a time: the tail is stateful). An entry
     * that cannot be applied is reported and skipped, so it never holds back the ones after it. A full resync
     * runs on the resync thread: it reads every attr.json, which must not hold up a request or the control thread.
     */
    private synchronized void applyJournal() throws IOException {
        journalPolls++;
        List<ChangeJournal.Entry> entries = tail.poll();
        boolean resync = false;
        for (ChangeJournal.Entry e : entries) {
            if (e.target().equals(ChangeJournal.RESYNC)) {
                resync = true;
                continue;
            }
            try {
                engine.reloadFromDisk(UUID.fromString(e.target()));
            } catch (IOException ex) {
                Events.log(LOG, Level.WARNING, "journal_entry_not_applied", "file_id", e.target(), "outcome",
                        "skipped", "reason", String.valueOf(ex));
            }
        }
        if (resync) {
            resyncs.execute(ScheduledTasks.surviving(LOG, "resync", () -> {
                try {
                    engine.resyncIndexFromDisk();
                } catch (IOException ex) {
                    Events.log(LOG, Level.WARNING, "resync_failed", ex);
                }
            }));
        }
    }

    /** A periodic task: its expected failures are warnings, and no throwable ends its schedule. */
    private static Runnable safely(String task, IoTask body) {
        return ScheduledTasks.surviving(LOG, task, () -> {
            try {
                body.run();
            } catch (IOException | RuntimeException e) {
                Events.log(LOG, Level.WARNING, "replica_task_failed", e, "task", task);
            }
        });
    }

    @FunctionalInterface
    private interface IoTask {
        void run() throws IOException;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Graceful handover: stop refreshing, step down (in-flight commits finish first), release the lock file. */
    @Override
    public void close() throws IOException {
        stopFollowerSync();
        sync.shutdownNow();
        try {
            control.submit(() -> stepDown("shutting down")).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Events.log(LOG, Level.WARNING, "step_down_on_close_failed", e);
        }
        control.shutdownNow();
        resyncs.shutdownNow();
        proxy.close();
        journal.close();
        lock.close();
    }
}
