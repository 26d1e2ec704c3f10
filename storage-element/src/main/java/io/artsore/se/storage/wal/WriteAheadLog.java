package io.artsore.se.storage.wal;

import io.artsore.se.storage.CrashPoints;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.filestore.ShardLayout;
import java.io.IOException;
import java.lang.System.Logger.Level;
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
import java.util.stream.Stream;

/**
 * Write-ahead log: one JSON file {@code {transaction_id}.wal.json} per in-flight write in the WAL dir, made
 * durable before the write touches the data dir. Settling a transaction deletes its record, so the WAL only
 * ever holds unfinished work. A {@code pending} record found at startup was never acknowledged: it is rolled
 * back completely (a purge is finished instead). Every undo step is idempotent, so a crash during recovery is
 * harmless; the record goes only after its undo is durable.
 */
public final class WriteAheadLog {
    public static final String SUFFIX = ".wal.json";
    private static final System.Logger LOG = System.getLogger(WriteAheadLog.class.getName());

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
    public WalRecord begin(WalOperation op, UUID fileId, String tempPath, String dataPath, String attrPath,
                           String previousAttr) throws IOException {
        String txId = UUID.randomUUID().toString();
        String attrTemp = attrPath == null ? null : relative(AtomicFiles.tempPath(layout.resolve(attrPath), txId));
        WalRecord r = new WalRecord(txId, op, WalStatus.PENDING, fileId, clock.instant(), null, tempPath, dataPath,
                attrPath, attrTemp, previousAttr);
        AtomicFiles.write(recordPath(txId), WalCodec.encode(r), txId, "wal.begin");
        return r;
    }

    /** The transaction's effects are durable: forget it. */
    public void commit(WalRecord tx) throws IOException {
        AtomicFiles.deleteDurably(recordPath(tx.transactionId()), "wal-removal");
    }

    /** Undoes whatever part of the transaction reached the disk (a purge is finished instead), then forgets it. */
    public void rollback(WalRecord tx) throws IOException {
        undo(tx);
        CrashPoints.hit("wal.rollback.undone");
        AtomicFiles.deleteDurably(recordPath(tx.transactionId()));
    }

    /** Settles every record left by a previous process; call once at startup before reading the data dir. */
    public RecoverySummary recover() throws IOException {
        return recover(false);
    }

    /**
     * As {@link #recover()}; with {@code keepCompleteUploads}, an interrupted upload whose attr.json and content are
     * complete and agree (size and SHA-256) is finished instead of rolled back. A replicated element needs that:
     * its WAL is private, so while it was down another replica may have adopted that visible upload, announced it
     * and served it; deleting it now would take away a file others already saw (security review H3).
     */
    public RecoverySummary recover(boolean keepCompleteUploads) throws IOException {
        AtomicFiles.createDirectoriesDurably(walDir);
        int kept = 0;
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
        for (Path p : records) {
            WalRecord r;
            try {
                r = WalCodec.decode(Files.readAllBytes(p));
            } catch (IOException e) {
                throw new IOException("unreadable WAL record " + p + ": " + e.getMessage(), e);
            }
            if (r.status() != WalStatus.PENDING) {
                AtomicFiles.deleteDurably(p);
                settled++;
                continue;
            }
            if (keepCompleteUploads && r.operation() == WalOperation.FILE_CREATE && CompleteUpload.verify(layout, r)) {
                LOG.log(Level.WARNING, "keeping interrupted upload of file {0}: complete and verified (transaction {1})",
                        r.fileId(), r.transactionId());
                delete(r.tempPath());
                delete(r.attrTempPath());
                AtomicFiles.deleteDurably(p);
                kept++;
                continue;
            }
            LOG.log(Level.WARNING, "recovering interrupted {0} of file {1} (transaction {2})",
                    r.operation().wireName(), r.fileId(), r.transactionId());
            rollback(r);
            if (r.operation() == WalOperation.FILE_PURGE) {
                purges++;
            } else {
                rolledBack++;
            }
        }
        if (temps > 0) {
            AtomicFiles.fsyncDirectory(walDir);
        }
        return new RecoverySummary(rolledBack, purges, settled, temps, kept);
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

    private void undo(WalRecord r) throws IOException {
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
