package io.artsore.se.service;

import io.artsore.se.config.SeConfig;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.MetadataLimits;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.Operation;
import io.artsore.se.domain.SeException;
import io.artsore.se.logging.Events;
import io.artsore.se.storage.CrashPoints;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.attr.CorruptAttrException;
import io.artsore.se.storage.filestore.ContentFiles;
import io.artsore.se.storage.filestore.DiskSpace;
import io.artsore.se.storage.filestore.ShardLayout;
import io.artsore.se.storage.index.BuildProgress;
import io.artsore.se.storage.index.BuildResult;
import io.artsore.se.storage.index.FileIndex;
import io.artsore.se.storage.index.IndexBuilder;
import io.artsore.se.storage.index.IndexCheckpoint;
import io.artsore.se.storage.index.IndexPage;
import io.artsore.se.storage.index.IndexStats;
import io.artsore.se.storage.mode.ModeChange;
import io.artsore.se.storage.mode.ModeGuard;
import io.artsore.se.storage.mode.ModeStore;
import io.artsore.se.storage.mode.PersistedMode;
import io.artsore.se.storage.tombstone.TombstoneFiles;
import io.artsore.se.storage.wal.RecoverySummary;
import io.artsore.se.storage.wal.WalOperation;
import io.artsore.se.storage.wal.WalRecord;
import io.artsore.se.storage.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The write service of one storage element, without HTTP: uploads, metadata edits, soft deletes, purges and
 * mode transitions, each crash-safe through the WAL, plus reads served from the in-memory index.
 *
 * <p>Every write is: WAL {@code pending} record → file changes (temp + fsync + atomic rename + directory fsync)
 * → WAL record deleted (the commit point) → index. Writes to one file are serialised by a striped per-file
 * lock; writes hold the mode guard's shared side for their commit step. Methods that touch the disk throw
 * {@link IOException} for I/O failures and {@link SeException} for the contract's error cases.
 */
public final class StorageEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StorageEngine.class.getName());
    /** Contract §2: description is at most 1000 characters. */
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    /**
     * A directory changed this soon before a checkpoint started is always re-read: covers timestamp ticks (ext4
     * stamps with a clock that advances in jiffies) and an NFS server clock a little behind this host's.
     */
    static final Duration CHECKPOINT_SETTLE = Duration.ofSeconds(2);
    /**
     * A checkpoint takes ~115 B per file (measured at 1M files); it is saved only when the WAL volume keeps this
     * much per file plus {@link #CHECKPOINT_WAL_RESERVE} free, so that it never crowds out WAL records (uploads
     * are refused when the WAL volume is full).
     */
    static final long CHECKPOINT_BYTES_PER_FILE = 160;
    static final long CHECKPOINT_WAL_RESERVE = 64L << 20;

    final SeConfig config;
    final Clock clock;
    final ShardLayout layout;
    final WriteAheadLog wal;
    /** Swapped whole by {@link #rebuildIndex}; every change goes through {@link #indexPut}/{@link #indexRemove}. */
    private volatile FileIndex index;
    /** Writers share it while changing the index; a rebuild takes it exclusively only to replay and swap. */
    private final ReentrantReadWriteLock indexSwap = new ReentrantReadWriteLock();
    private final ReentrantLock rebuildLock = new ReentrantLock();
    /** Ids changed by writes while a rebuild scans the disk; null when no rebuild runs. */
    private volatile Set<UUID> touchedDuringRebuild;
    final CapacityAccountant capacity;
    final CommitSequencer sequencer;
    private final ModeGuard modeGuard;
    private final WriteFence fence;
    private final FileLocks locks = new FileLocks(256);
    private final StartupReport startupReport;
    /** Files whose sidecar could not be parsed when the index was last built from disk (they are not gone). */
    private volatile Set<UUID> unreadableIds;
    /** Directories (relative) holding such sidecars or duplicate ids: an index checkpoint does not vouch for them. */
    private volatile Set<String> dirsWithFailures;
    /**
     * Every write holds the read side from before its change on disk until its index update; an index checkpoint
     * takes the write side while it copies the index, so the copy holds every change already on disk.
     */
    private final ReentrantReadWriteLock commitBarrier = new ReentrantReadWriteLock();
    /** Counts index changes, so a periodic checkpoint is skipped when nothing changed since the last one. */
    private final AtomicLong indexChanges = new AtomicLong();
    private volatile long indexChangesCheckpointed = -1;
    private final DiskSpace disk;
    final ContentSync contentSync;
    private final TombstoneFiles tombstoneFiles;

    private StorageEngine(SeConfig config, Clock clock, DiskSpace disk, ModeGuard modeGuard, WriteFence fence,
                          WriteAheadLog wal, BuildResult built, RecoverySummary recovery, boolean modeFromFile,
                          ContentSync contentSync, TombstoneFiles tombstoneFiles) {
        this.config = config;
        this.disk = disk;
        this.contentSync = contentSync;
        this.clock = clock;
        this.layout = new ShardLayout(config.dataDir());
        this.wal = wal;
        this.modeGuard = modeGuard;
        this.fence = fence;
        this.index = built.index();
        this.unreadableIds = DataDirIndex.unreadableIds(built);
        this.dirsWithFailures = DataDirIndex.dirsWithFailures(built);
        this.tombstoneFiles = tombstoneFiles;
        this.sequencer = new CommitSequencer(clock, index.newestUploadedAt());
        this.capacity = new CapacityAccountant(config.maxCapacity(), () -> index.stats().usedBytes(), disk,
                layout.dataDir());
        this.startupReport = new StartupReport(recovery, index.size(), built.failures(), modeGuard.current(),
                modeFromFile, built.checkpoint());
    }

    /**
     * Opens the data and WAL dirs: reads mode.json (it wins over SE_MODE; corrupt → exception), rolls back
     * interrupted writes, then builds the index from the sidecars on disk plus the tombstones of files purged
     * within {@code SE_LIST_TOMBSTONE_TTL}.
     */
    public static StorageEngine open(SeConfig config, Clock clock) throws IOException {
        return open(config, clock, DiskSpace.real(), WriteFence.NONE);
    }

    /** As {@link #open(SeConfig, Clock)}, with every write's commit step run through {@code fence}. */
    public static StorageEngine open(SeConfig config, Clock clock, WriteFence fence) throws IOException {
        return open(config, clock, DiskSpace.real(), fence);
    }

    static StorageEngine open(SeConfig config, Clock clock, DiskSpace disk) throws IOException {
        return open(config, clock, disk, WriteFence.NONE);
    }

    static StorageEngine open(SeConfig config, Clock clock, DiskSpace disk, WriteFence fence) throws IOException {
        return open(config, clock, disk, fence, ContentSync.FORCE);
    }

    static StorageEngine open(SeConfig config, Clock clock, DiskSpace disk, WriteFence fence, ContentSync contentSync)
            throws IOException {
        // durably: a data or WAL dir whose own entry is lost in a power cut takes everything in it along
        AtomicFiles.createDirectoriesDurably(config.dataDir());
        AtomicFiles.createDirectoriesDurably(config.walDir());
        ModeStore modeStore = new ModeStore(config.dataDir());
        Optional<PersistedMode> persisted = modeStore.load();
        Mode mode = persisted.map(PersistedMode::mode).orElse(config.initialMode());
        ShardLayout layout = new ShardLayout(config.dataDir());
        WriteAheadLog wal = new WriteAheadLog(config.walDir(), layout, clock);
        // replicated: another replica may have adopted a complete interrupted write meanwhile (see WriteAheadLog)
        RecoverySummary recovery = wal.recover(config.replicaMode() == SeConfig.ReplicaMode.REPLICATED);
        BuildResult built = DataDirIndex.build(layout.dataDir(),
                new IndexBuilder.Checkpoint(checkpointFile(config), checkpointIdentity(config)), new BuildProgress(),
                "startup", clock);
        TombstoneFiles tombstones = TombstoneFiles.in(layout.dataDir());
        for (TombstoneFiles.Entry t : tombstones.removedSince(clock.millis() - config.listTombstoneTtl().toMillis())) {
            built.index().addTombstone(t.lastMetadata(), t.removedAtMillis());
        }
        return new StorageEngine(config, clock, disk, new ModeGuard(mode, modeStore, clock), fence, wal, built, recovery,
                persisted.isPresent(), contentSync, tombstones);
    }

    private static Path checkpointFile(SeConfig config) {
        return config.walDir().resolve(IndexCheckpoint.FILE_NAME);
    }

    private static IndexCheckpoint.Identity checkpointIdentity(SeConfig config) {
        return new IndexCheckpoint.Identity(config.storageId(), config.dataDir());
    }

    public StartupReport startupReport() {
        return startupReport;
    }

    // ---- mode ----

    public Mode mode() {
        return modeGuard.current();
    }

    /**
     * @throws SeException INVALID_TRANSITION, CONFIRMATION_REQUIRED, INTERNAL_ERROR (not persisted, mode unchanged),
     *                     LEADER_UNAVAILABLE (a replica that is not the leader)
     */
    public ModeChange transition(Mode target, boolean confirm, String subject) {
        try {
            // mode lock, then fence: the order every commit uses (ModeGuard's lock order)
            return modeGuard.transition(target, confirm, subject, step -> fence.guard(null, step::run));
        } catch (IOException e) {
            throw new SeException(ErrorCode.INTERNAL_ERROR, "the mode change could not be made", e);
        }
    }

    // ---- reads ----

    public Optional<FileMetadata> find(UUID id) {
        return index.get(id);
    }

    /** Whether {@code id} has a sidecar that could not be read when the index was last built from disk. */
    public boolean hasUnreadableMetadata(UUID id) {
        return unreadableIds.contains(id);
    }

    /**
     * A page in (uploaded_at, file_id) order; {@code filter} null means every status. Purged files keep their
     * place as {@code deleted} tombstones for {@code SE_LIST_TOMBSTONE_TTL}, so offsets do not shift under a
     * client paging through.
     */
    public IndexPage list(FileStatus filter, long offset, int limit) {
        return index.page(filter, offset, limit);
    }

    public IndexStats stats() {
        return index.stats();
    }

    public Capacity capacity() {
        return Capacity.of(config.maxCapacity(), index.stats().usedBytes());
    }

    /** Absolute path of a file's content. Read it only through {@link #openContent} or {@link ContentFiles}. */
    public Path contentPath(FileMetadata m) {
        return layout.resolve(m.storagePath());
    }

    public Path dataDir() {
        return layout.dataDir();
    }

    /**
     * Opens a file's content for reading (downloads).
     *
     * @throws ContentFiles.NotRegularContentException when a link, FIFO, device or linked directory is there
     */
    public FileChannel openContent(FileMetadata m) throws IOException {
        return ContentFiles.openForRead(layout.dataDir(), contentPath(m));
    }

    /** Visits a point-in-time copy of every indexed file (background work: GC, scrubbing). */
    public void forEachFile(Consumer<FileMetadata> visitor) {
        index.forEach(visitor);
    }

    /** Storage paths (temp, data, attr, attr temp) named by writes in flight, so scans leave them alone. */
    public Set<String> pathsOfWritesInFlight() throws IOException {
        return wal.pathsInFlight();
    }

    // ---- index rebuild ----

    /** Reads the metadata of every file from the disk (reconciliation's scan). */
    @FunctionalInterface
    public interface IndexSource {
        Collection<FileMetadata> scan() throws IOException;

        /** After {@link #scan}: the ids of files whose sidecar it found but could not parse (not gone). */
        default Set<UUID> unreadableIds() {
            return Set.of();
        }
    }

    /**
     * Replaces the index with one built from {@code source} without blocking requests: reads keep using the
     * old index during the scan, writes keep going and are recorded; at the end the ids they touched are
     * copied from the live index into the new one (the engine's own writes are newer than what the scan saw)
     * and the new index is swapped in. Only that replay holds writers back. One rebuild at a time.
     *
     * <p>The list order must not shift under a client paging through: the live index's tombstones are carried
     * over, and a file the scan no longer finds (removed behind the engine's back) becomes a tombstone too.
     */
    public void rebuildIndex(IndexSource source) throws IOException {
        rebuildLock.lock();
        try {
            Set<UUID> touched = ConcurrentHashMap.newKeySet();
            indexSwap.writeLock().lock();
            try {
                touchedDuringRebuild = touched;
            } finally {
                indexSwap.writeLock().unlock();
            }
            try {
                FileIndex fresh = new FileIndex();
                source.scan().forEach(fresh::put);
                List<FileMetadata> departed = new ArrayList<>();
                index.forEach(m -> {
                    if (fresh.get(m.fileId()).isEmpty()) {
                        departed.add(m);
                    }
                });
                indexSwap.writeLock().lock();
                try {
                    FileIndex live = index;
                    touched.forEach(fresh::remove); // the live index knows better than the scan
                    live.forEachTombstone(fresh::addTombstone);
                    for (UUID id : touched) {
                        live.get(id).ifPresent(fresh::put);
                    }
                    long now = clock.millis();
                    for (FileMetadata m : departed) {
                        if (!touched.contains(m.fileId())) {
                            fresh.addTombstone(m, now);
                        }
                    }
                    index = fresh;
                    unreadableIds = source.unreadableIds();
                    // the scan reports only unreadable ids; directories distrusted by the last full read stay so
                    dirsWithFailures = union(dirsWithFailures, dirsOf(unreadableIds));
                    indexChanges.incrementAndGet();
                } finally {
                    indexSwap.writeLock().unlock();
                }
            } finally {
                touchedDuringRebuild = null;
            }
        } finally {
            rebuildLock.unlock();
        }
    }

    void indexPut(FileMetadata m) {
        indexSwap.readLock().lock();
        try {
            index.put(m);
            noteTouched(m.fileId());
        } finally {
            indexSwap.readLock().unlock();
        }
    }

    /** Takes a file out of the index; it keeps its place in the list order as a tombstone. */
    private void indexTombstone(UUID id, long removedAtMillis) {
        indexSwap.readLock().lock();
        try {
            index.tombstone(id, removedAtMillis);
            noteTouched(id);
        } finally {
            indexSwap.readLock().unlock();
        }
    }

    private void noteTouched(UUID id) {
        indexChanges.incrementAndGet();
        Set<UUID> touched = touchedDuringRebuild;
        if (touched != null) {
            touched.add(id);
        }
    }

    // ---- writes ----

    /**
     * Starts an upload before its body is read: checks mode (MODE_NOT_ALLOWED), the declared size
     * (FILE_TOO_LARGE) and capacity (STORAGE_FULL: the declared length does not fit now); space is reserved
     * while the body streams ({@link CapacityAccountant}). {@code declaredLength} is the exact content length
     * when known, else -1. Always close the
     * returned upload (try-with-resources): closing an uncommitted upload removes everything it wrote.
     */
    public PendingUpload beginUpload(String subject, long declaredLength) {
        modeGuard.require(Operation.UPLOAD);
        if (declaredLength > config.maxFileSize()) {
            throw new SeException(ErrorCode.FILE_TOO_LARGE,
                    "file exceeds the maximum size of " + config.maxFileSize() + " bytes");
        }
        CapacityAccountant.Reservation reservation = capacity.admit(declaredLength);
        return new PendingUpload(this, subject, reservation, UUID.randomUUID(), clock.instant());
    }

    <T> T commitUnderMode(Operation op, UUID fileId, ModeGuard.Commit<T> commit) throws IOException {
        return modeGuard.commit(op, () -> fenced(fileId, commit::run));
    }

    /** A write's commit step: through the write fence, inside the commit barrier (lock order: mode, barrier, fence). */
    private <T> T fenced(UUID fileId, WriteFence.Step<T> step) throws IOException {
        commitBarrier.readLock().lock();
        try {
            return fence.guard(fileId, step);
        } finally {
            commitBarrier.readLock().unlock();
        }
    }

    /**
     * Replaces description and/or tags (null = unchanged) of an active file.
     *
     * @throws SeException VALIDATION_ERROR, MODE_NOT_ALLOWED, NOT_FOUND (also for deleted or expired files)
     */
    public FileMetadata updateMetadata(UUID id, String description, List<String> tags) throws IOException {
        modeGuard.require(Operation.UPDATE);
        if (description == null && tags == null) {
            throw new SeException(ErrorCode.VALIDATION_ERROR, "nothing to update: give description or tags");
        }
        MetadataLimits.checkDescription(description);
        MetadataLimits.checkTags(tags);
        return withFileLock(id, () -> commitUnderMode(Operation.UPDATE, id, () -> {
            FileMetadata current = index.get(id)
                    .filter(m -> m.status() == FileStatus.ACTIVE && !m.isExpiredAt(clock.instant()))
                    .orElseThrow(() -> notFound(id));
            FileMetadata updated = current.withDescriptionAndTags(
                    description != null ? description : current.description(),
                    tags != null ? tags : current.tags());
            rewriteAttr(WalOperation.FILE_UPDATE, "update", current, updated);
            return updated;
        }));
    }

    /**
     * Marks a file deleted (it stays listed with status {@code deleted} until GC purges it). Deleting a deleted
     * file changes nothing.
     *
     * @throws SeException MODE_NOT_ALLOWED, NOT_FOUND
     */
    public void softDelete(UUID id) throws IOException {
        modeGuard.require(Operation.DELETE);
        withFileLock(id, () -> commitUnderMode(Operation.DELETE, id, () -> {
            FileMetadata current = index.get(id).orElseThrow(() -> notFound(id));
            if (current.status() != FileStatus.DELETED) {
                rewriteAttr(WalOperation.FILE_DELETE, "delete", current, current.withStatus(FileStatus.DELETED));
            }
            return null;
        }));
    }

    /**
     * Marks an active file expired (GC, once its {@code expires_at} passed). No mode check: it is housekeeping.
     *
     * @throws SeException NOT_FOUND
     */
    public void markExpired(UUID id) throws IOException {
        withFileLock(id, () -> fenced(id, () -> {
            FileMetadata current = index.get(id).orElseThrow(() -> notFound(id));
            if (current.status() == FileStatus.ACTIVE) {
                rewriteAttr(WalOperation.FILE_UPDATE, "expire", current, current.withStatus(FileStatus.EXPIRED));
            }
            return null;
        }));
    }

    /**
     * Physically removes a file (data, attr.json, index entry); used by GC. No mode check. A crash midway is
     * finished by recovery. The file's tombstone is recorded first, so the list order survives a restart.
     *
     * @throws SeException NOT_FOUND
     */
    public void purge(UUID id) throws IOException {
        withFileLock(id, () -> fenced(id, () -> {
            FileMetadata current = index.get(id).orElseThrow(() -> notFound(id));
            requireShardInside(current);
            String attrRel = current.storagePath() + AttrCodec.SUFFIX;
            long removedAt = clock.millis();
            // before the WAL record: recovery finishes a purge it finds, so its tombstone must already be durable
            // (a tombstone of a file that stays, when this fails, is ignored while the file is indexed)
            tombstoneFiles.record(current, removedAt);
            WalRecord tx = wal.begin(WalOperation.FILE_PURGE, id, null, current.storagePath(), attrRel);
            CrashPoints.hit("purge.wal-begun");
            boolean settled = false;
            try {
                AtomicFiles.deleteDurably(layout.resolve(attrRel));
                CrashPoints.hit("purge.attr-removed");
                indexTombstone(id, removedAt);
                AtomicFiles.deleteDurably(layout.resolve(current.storagePath()));
                CrashPoints.hit("purge.data-removed");
                wal.commit(tx);
                settled = true;
                CrashPoints.hit("purge.wal-settled");
            } finally {
                if (!settled) {
                    wal.rollback(tx); // finishes the purge
                    indexTombstone(id, removedAt);
                }
            }
            return null;
        }));
    }

    /** A purge deletes by name: through a linked shard directory it would delete outside the data dir. */
    private void requireShardInside(FileMetadata m) throws IOException {
        try {
            ContentFiles.requireDirectoryInside(layout.dataDir(), contentPath(m));
        } catch (NoSuchFileException e) {
            // no shard directory at all: nothing to delete through
        }
    }

    // ---- replicas: other processes write to the same data dir ----

    /**
     * Re-reads one file's attr.json from disk (another replica may have written it) and brings the index in line:
     * indexed when present, dropped when gone. Returns what the disk holds.
     */
    public Optional<FileMetadata> reloadFromDisk(UUID id) throws IOException {
        return withFileLock(id, () -> {
            Optional<FileMetadata> onDisk;
            try {
                onDisk = DataDirIndex.findById(layout, id);
            } catch (CorruptAttrException e) {
                markUnreadable(id); // lookups answer METADATA_CORRUPT, not 404, until the next rebuild
                throw e;
            }
            onDisk.ifPresentOrElse(this::indexForeign, () -> indexTombstone(id, clock.millis()));
            return onDisk;
        });
    }

    private synchronized void markUnreadable(UUID id) {
        Set<UUID> more = new HashSet<>(unreadableIds);
        more.add(id);
        unreadableIds = Set.copyOf(more);
    }

    /**
     * Brings the whole index in line with the disk (a new leader adopting what its predecessor wrote, a follower
     * asked to resync) and returns the ids whose entry changed. It is a {@link #rebuildIndex}: requests keep
     * being served from the old index during the scan, and writes made meanwhile are kept (security review L11:
     * a new leader runs this in the background, already accepting writes). The scan starts from this element's
     * index checkpoint when there is one: it gives what a full read gives, re-reading only directories changed
     * since.
     */
    public Set<UUID> resyncIndexFromDisk() throws IOException {
        DiskScan scan = new DiskScan();
        rebuildIndex(scan);
        return scan.changed;
    }

    /** The data dir as {@link DataDirIndex} reads it, noting which entries differ from the index it replaces. */
    private final class DiskScan implements IndexSource {
        private final Set<UUID> changed = ConcurrentHashMap.newKeySet();
        private Set<UUID> unreadable = Set.of();

        @Override
        public Collection<FileMetadata> scan() throws IOException {
            BuildResult built = DataDirIndex.build(layout.dataDir(),
                    new IndexBuilder.Checkpoint(checkpointFile(config), checkpointIdentity(config)),
                    new BuildProgress(), "resync", clock);
            unreadable = DataDirIndex.unreadableIds(built);
            // duplicate ids too: the next checkpoint must not vouch for their directories
            dirsWithFailures = union(dirsWithFailures, DataDirIndex.dirsWithFailures(built));
            FileIndex disk = built.index();
            FileIndex live = index;
            List<FileMetadata> files = new ArrayList<>(disk.size());
            disk.forEach(m -> {
                files.add(m);
                if (!live.get(m.fileId()).map(m::equals).orElse(false)) {
                    changed.add(m.fileId());
                }
            });
            live.forEach(m -> {
                if (disk.get(m.fileId()).isEmpty()) {
                    changed.add(m.fileId());
                }
            });
            // files another writer committed: later local uploads must still sort after them
            Optional.ofNullable(disk.newestUploadedAt()).ifPresent(sequencer::observe);
            return files;
        }

        @Override
        public Set<UUID> unreadableIds() {
            return unreadable;
        }
    }

    /** Adopts the mode persisted in mode.json (written by another replica); returns the mode now in force. */
    public Mode reloadPersistedMode() throws IOException {
        return modeGuard.reload();
    }

    /** Indexes a file another process wrote; later local uploads must still sort after it. */
    private void indexForeign(FileMetadata m) {
        sequencer.observe(m.uploadedAt());
        indexPut(m);
    }

    // ---- index checkpoint ----

    /**
     * Saves the index to {@code SE_WAL_DIR/index.checkpoint} (see {@link IndexCheckpoint}) so that the next start
     * re-reads only the directories that changed since. Only the writer of the data dir may save one (a standalone
     * element or the leader): a follower's index trails the disk. With {@code onlyIfChanged}, nothing is written
     * when the index did not change since the last checkpoint. Returns what was saved, or empty.
     *
     * @throws SeException LEADER_UNAVAILABLE when this replica may not write
     */
    public Optional<IndexCheckpoint> writeIndexCheckpoint(boolean onlyIfChanged) throws IOException {
        return writeIndexCheckpoint(onlyIfChanged, CHECKPOINT_SETTLE);
    }

    Optional<IndexCheckpoint> writeIndexCheckpoint(boolean onlyIfChanged, Duration settle) throws IOException {
        long changes = indexChanges.get();
        if (onlyIfChanged && changes == indexChangesCheckpointed) {
            return Optional.empty();
        }
        long needed = (long) index.size() * CHECKPOINT_BYTES_PER_FILE + CHECKPOINT_WAL_RESERVE;
        long free = disk.usableBytes(config.walDir());
        if (free < needed) {
            Events.log(LOG, Level.WARNING, "index_checkpoint_skipped", "reason",
                    "WAL volume too small: " + free + " bytes free, a checkpoint needs " + needed,
                    "indexed_files", index.size());
            return Optional.empty();
        }
        Instant started = clock.instant();
        IndexCheckpoint checkpoint = IndexCheckpoint.capture(checkpointIdentity(config), started,
                settle, () -> index, copy -> {
                    commitBarrier.writeLock().lock();
                    try {
                        fence.guard(null, () -> {
                            copy.run();
                            return null;
                        });
                    } finally {
                        commitBarrier.writeLock().unlock();
                    }
                }, Set.copyOf(dirsWithFailures));
        checkpoint.write(checkpointFile(config));
        indexChangesCheckpointed = changes;
        Events.log(LOG, Level.INFO, "index_checkpoint_saved", "dirs", checkpoint.directories(),
                "dirs_with_entries", checkpoint.trustedDirectories(), "entries", checkpoint.entries(),
                "duration_ms", Duration.between(started, clock.instant()).toMillis());
        return Optional.of(checkpoint);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Standard-layout directories of {@code ids}, and the data dir itself (a flat layout). */
    private Set<String> dirsOf(Set<UUID> ids) {
        Set<String> dirs = new HashSet<>();
        ids.forEach(id -> dirs.add(layout.shardName(id)));
        if (!ids.isEmpty()) {
            dirs.add("");
        }
        return Set.copyOf(dirs);
    }

    // ---- tombstones ----

    /**
     * Drops the tombstones of files purged longer than {@code SE_LIST_TOMBSTONE_TTL} ago, from the index and
     * from the disk (the leader's GC). Returns how many left the index.
     */
    public int dropExpiredTombstones() throws IOException {
        long cutoff = tombstoneCutoff();
        tombstoneFiles.deleteRemovedBefore(cutoff);
        return index.dropTombstonesRemovedBefore(cutoff);
    }

    /** As {@link #dropExpiredTombstones()}, from the index only (followers leave the shared disk to the leader). */
    public int forgetExpiredTombstones() {
        return index.dropTombstonesRemovedBefore(tombstoneCutoff());
    }

    private long tombstoneCutoff() {
        return clock.millis() - config.listTombstoneTtl().toMillis();
    }

    /**
     * Atomically replaces a file's attr.json with {@code updated}, through the WAL (the previous and the new content
     * are recorded so a crash rolls back to the previous one unless someone replaced the new one since). Caller
     * holds the file's lock.
     */
    private void rewriteAttr(WalOperation op, String crashScope, FileMetadata current, FileMetadata updated)
            throws IOException {
        String attrRel = current.storagePath() + AttrCodec.SUFFIX;
        Path attr = layout.resolve(attrRel);
        String previous;
        try {
            previous = Files.readString(attr, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            indexTombstone(current.fileId(), clock.millis()); // removed behind our back: no longer served
            throw notFound(current.fileId());
        }
        byte[] written = AttrCodec.encode(updated);
        WalRecord tx = wal.beginRewrite(op, current.fileId(), attrRel, previous,
                new String(written, StandardCharsets.UTF_8));
        CrashPoints.hit(crashScope + ".wal-begun");
        boolean settled = false;
        try {
            AtomicFiles.write(attr, written, tx.tempTag(), crashScope + ".attr");
            CrashPoints.hit(crashScope + ".attr-durable");
            wal.commit(tx);
            settled = true;
            CrashPoints.hit(crashScope + ".wal-settled");
            indexPut(updated);
        } finally {
            if (!settled) {
                wal.rollback(tx);
            }
        }
    }

    @FunctionalInterface
    private interface Locked<T> {
        T run() throws IOException;
    }

    private <T> T withFileLock(UUID id, Locked<T> action) throws IOException {
        ReentrantLock lock = locks.forFile(id);
        lock.lock();
        try {
            return action.run();
        } finally {
            lock.unlock();
        }
    }

    private static SeException notFound(UUID id) {
        return new SeException(ErrorCode.NOT_FOUND, "file " + id + " not found");
    }

    /** Nothing runs in the background yet; present so callers manage the engine's lifetime from the start. */
    @Override
    public void close() {
    }
}
