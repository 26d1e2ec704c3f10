package io.artsore.se.storage.wal;

import io.artsore.se.logging.Events;
import io.artsore.se.storage.CrashPoints;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.filestore.ShardLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Write-ahead log: one JSON file {@code {transaction_id}.wal.json} per in-flight write in the WAL dir, made
 * durable before the write touches the data dir. Settling a transaction deletes its record, so the WAL only
 * ever holds unfinished work. A {@code pending} record found at startup was never acknowledged: it is rolled
 * back completely (a purge is finished instead). An update or delete is undone by compare-and-restore: the
 * previous attr.json goes back only while the file still holds what the transaction wrote, never over what
 * another writer put there since (security review H3). Every undo step is idempotent, so a crash during
 * recovery is harmless; the record goes only after its undo is durable. A record recovery cannot read (torn,
 * damaged, unknown format) is moved to the {@link WalQuarantine} instead of stopping the element.
 */
public final class WriteAheadLog {
    public static final String SUFFIX = ".wal.json";
    private static final Logger LOG = Logger.getLogger(WriteAheadLog.class.getName());

    private final Path walDir;
    private final ShardLayout layout;
    private final Clock clock;

    public WriteAheadLog(Path walDir, ShardLayout layout, Clock clock) {
        this.walDir = walDir.toAbsolutePath().normalize();
        this.layout = layout;
        this.clock = clock;
    }

    /**
     * Durably records a pending transaction. Paths are storage paths (relative to the data dir) or null.
     * The attr temp path is derived from the transaction id (see {@link WalRecord#tempTag()}).
     */
    public WalRecord begin(WalOperation op, UUID fileId, String tempPath, String dataPath, String attrPath)
            throws IOException {
        return record(op, fileId, tempPath, dataPath, attrPath, null, null);
    }

    /**
     * Durably records a pending update or delete that replaces the attr.json at {@code attrPath}, holding
     * {@code previousAttr}, with {@code writtenAttr}.
     */
    public WalRecord beginRewrite(WalOperation op, UUID fileId, String attrPath, String previousAttr,
                                  String writtenAttr) throws IOException {
        return record(op, fileId, null, null, attrPath, previousAttr, writtenAttr);
    }

    private WalRecord record(WalOperation op, UUID fileId, String tempPath, String dataPath, String attrPath,
                             String previousAttr, String writtenAttr) throws IOException {
        String txId = UUID.randomUUID().toString();
        String attrTemp = attrPath == null ? null : relative(AtomicFiles.tempPath(layout.resolve(attrPath), txId));
        WalRecord r = new WalRecord(txId, op, WalStatus.PENDING, fileId, clock.instant(), null, tempPath, dataPath,
                attrPath, attrTemp, previousAttr, writtenAttr);
        AtomicFiles.write(recordPath(txId), WalCodec.encode(r), txId, "wal.begin");
        return r;
    }

    /** The transaction's effects are durable: forget it. */
    public void commit(WalRecord tx) throws IOException {
        AtomicFiles.deleteDurably(recordPath(tx.transactionId()), "wal-removal");
    }

    /**
     * Undoes whatever part of the transaction reached the disk (a purge is finished instead), then forgets it.
     * Returns false when there was nothing of it to undo because another writer replaced the attr.json since.
     */
    public boolean rollback(WalRecord tx) throws IOException {
        boolean undone = undo(tx);
        CrashPoints.hit("wal.rollback.undone");
        AtomicFiles.deleteDurably(recordPath(tx.transactionId()));
        return undone;
    }

    /** Settles every record left by a previous process; call once at startup before reading the data dir. */
    public RecoverySummary recover() throws IOException {
        return recover(false);
    }

    /**
     * As {@link #recover()}; with {@code keepCompleteWrites}, an interrupted write that is completely on disk is
     * finished instead of rolled back: an upload whose attr.json and content agree (size and SHA-256), an update
     * or delete whose attr.json is exactly what it wrote. A replicated element needs that: its WAL is private, so
     * while it was down another replica may have adopted that visible write, announced it and served it; taking it
     * back now would change a file under readers who already saw it (security review H3).
     */
    public RecoverySummary recover(boolean keepCompleteWrites) throws IOException {
        AtomicFiles.createDirectoriesDurably(walDir);
        int kept = 0;
        int superseded = 0;
        int rolledBack = 0;
        int purges = 0;
        int settled = 0;
        int temps = 0;
        List<Path> records = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (AtomicFiles.isTempName(name)) {
                    // a record that never became durable; its transaction never touched the data dir
                    Files.deleteIfExists(p);
                    temps++;
                } else if (name.endsWith(SUFFIX)) {
                    records.add(p);
                }
            }
        }
        int quarantined = 0;
        for (Path p : records) {
            WalRecord r;
            try {
                r = WalCodec.decode(Files.readAllBytes(p));
            } catch (UnreadableWalRecordException e) {
                quarantine(p, e);
                quarantined++;
                continue;
            }
            if (r.status() != WalStatus.PENDING) {
                AtomicFiles.deleteDurably(p);
                settled++;
                continue;
            }
            if (keepCompleteWrites && isComplete(r)) {
                Events.log(LOG, Level.WARNING, "wal_recovery", "operation", r.operation().wireName(),
                        "file_id", r.fileId(), "transaction_id", r.transactionId(), "outcome", "kept_complete");
                delete(r.tempPath());
                delete(r.attrTempPath());
                AtomicFiles.deleteDurably(p);
                kept++;
                continue;
            }
            boolean undone = rollback(r);
            String outcome = !undone ? "left_as_replaced_since"
                    : r.operation() == WalOperation.FILE_PURGE ? "purge_finished" : "rolled_back";
            Events.log(LOG, Level.WARNING, "wal_recovery", "operation", r.operation().wireName(),
                    "file_id", r.fileId(), "transaction_id", r.transactionId(), "outcome", outcome);
            if (!undone) {
                superseded++;
            } else if (r.operation() == WalOperation.FILE_PURGE) {
                purges++;
            } else {
                rolledBack++;
            }
        }
        if (temps > 0) {
            AtomicFiles.fsyncDirectory(walDir);
        }
        return new RecoverySummary(rolledBack, purges, settled, temps, kept, superseded, quarantined);
    }

    /**
     * Moves an unreadable record aside instead of failing startup. Which file it was about is unknown, so that
     * file is left exactly as it is: every step of a write is atomic, so the data file and the attr.json are each
     * whole, old or new; what does not match is reported by reconciliation (orphans, missing files).
     */
    private void quarantine(Path record, UnreadableWalRecordException reason) throws IOException {
        WalQuarantine quarantine = WalQuarantine.in(walDir);
        quarantine.isolate(record);
        Events.log(LOG, Level.SEVERE, "wal_record_quarantined", "operation", "wal_recovery",
                "file", record.getFileName().toString(), "reason", reason.getMessage(), "outcome", "quarantined",
                "moved_to", quarantine.directory().toString());
    }

    private boolean isComplete(WalRecord r) throws IOException {
        return switch (r.operation()) {
            case FILE_CREATE -> CompleteUpload.verify(layout, r);
            case FILE_UPDATE, FILE_DELETE -> r.writtenAttr() != null && r.writtenAttr().equals(currentAttr(r));
            case FILE_PURGE -> false;
        };
    }

    /** The attr.json the record names as it is now, or null when it is absent. */
    private String currentAttr(WalRecord r) throws IOException {
        try {
            return Files.readString(layout.resolve(r.attrPath()), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Number of records currently in the WAL dir (in-flight transactions), for health checks and tests. */
    public long pendingCount() throws IOException {
        try (var s = Files.list(walDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).count();
        }
    }

    /**
     * Storage paths (temp, data, attr, attr temp) named by the records in the WAL dir, i.e. by writes in
     * flight. A record that disappears or is half written while being read is skipped: it is being settled.
     */
    public Set<String> pathsInFlight() throws IOException {
        Set<String> paths = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, "*" + SUFFIX)) {
            for (Path p : ds) {
                WalRecord r;
                try {
                    r = WalCodec.decode(Files.readAllBytes(p));
                } catch (NoSuchFileException e) {
                    continue;
                }
                Stream.of(r.tempPath(), r.dataPath(), r.attrPath(), r.attrTempPath())
                        .filter(Objects::nonNull).forEach(paths::add);
            }
        }
        return paths;
    }

    public Path directory() {
        return walDir;
    }

    /** Returns false when an update or delete found its attr.json replaced by another writer and left it. */
    private boolean undo(WalRecord r) throws IOException {
        switch (r.operation()) {
            case FILE_CREATE -> {
                // sidecar first: a scan must never find metadata whose data is already gone
                delete(r.attrTempPath());
                delete(r.attrPath());
                delete(r.dataPath());
                delete(r.tempPath());
            }
            case FILE_UPDATE, FILE_DELETE -> {
                delete(r.attrTempPath());
                String current = currentAttr(r);
                if (r.writtenAttr() != null && !r.writtenAttr().equals(current)) {
                    // the previous content is still there (the rename never happened), or another writer's is
                    return current != null && current.equals(r.previousAttr());
                }
                if (r.previousAttr() != null) {
                    AtomicFiles.write(layout.resolve(r.attrPath()),
                            r.previousAttr().getBytes(StandardCharsets.UTF_8), r.tempTag(), null);
                }
            }
            case FILE_PURGE -> {
                delete(r.attrTempPath());
                delete(r.attrPath());
                delete(r.dataPath());
            }
        }
        return true;
    }

    private void delete(String storagePath) throws IOException {
        if (storagePath != null) {
            AtomicFiles.deleteDurably(layout.resolve(storagePath));
        }
    }

    private Path recordPath(String txId) {
        return walDir.resolve(txId + SUFFIX);
    }

    private String relative(Path p) {
        return layout.dataDir().relativize(p).toString().replace('\\', '/');
    }
}
