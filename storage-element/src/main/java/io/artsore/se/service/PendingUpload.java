package io.artsore.se.service;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.MetadataLimits;
import io.artsore.se.domain.Operation;
import io.artsore.se.domain.Retention;
import io.artsore.se.domain.SeException;
import io.artsore.se.logging.Events;
import io.artsore.se.storage.CrashPoints;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.filestore.ContentWriter;
import io.artsore.se.storage.filestore.DataFileNames;
import io.artsore.se.storage.wal.WalOperation;
import io.artsore.se.storage.wal.WalRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One upload in progress, created by {@link StorageEngine#beginUpload}. Multipart parts arrive in any order,
 * so content and form fields are given separately: {@link #writeContent} once, then {@link #commit}. Closing
 * before a successful commit removes every trace (temp file, WAL record, reservation). Not thread-safe: one
 * request drives one upload.
 */
public final class PendingUpload implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PendingUpload.class.getName());

    private enum State { NEW, CONTENT_WRITTEN, COMMITTED, ABORTED }

    private final StorageEngine engine;
    private final String subject;
    private final CapacityAccountant.Reservation reservation;
    private final UUID fileId;
    private final Instant startedAt;
    private State state = State.NEW;
    private WalRecord tx;
    private String originalFilename;
    private String contentType;
    private ContentWriter.Written written;
    /** Completes when the content file's fsync (started when the content was written) is done. */
    private CompletableFuture<Void> contentDurable;

    PendingUpload(StorageEngine engine, String subject, CapacityAccountant.Reservation reservation, UUID fileId,
                  Instant startedAt) {
        this.engine = engine;
        this.subject = subject;
        this.reservation = reservation;
        this.fileId = fileId;
        this.startedAt = startedAt;
    }

    public UUID fileId() {
        return fileId;
    }

    /**
     * Streams the file part to a temp file in the data volume while hashing it. On any failure (FILE_TOO_LARGE
     * as soon as the limit is crossed, STORAGE_FULL, a broken client stream) nothing is kept and the upload is
     * aborted.
     *
     * @param originalFilename client's file name (a path is cut to its last segment); required
     * @param contentType      MIME type of the part; null or blank means application/octet-stream
     */
    public void writeContent(String originalFilename, String contentType, InputStream in) throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("content already written or upload finished");
        }
        if (originalFilename == null || originalFilename.isBlank()) {
            abort();
            throw new SeException(ErrorCode.VALIDATION_ERROR, "the file part needs a filename");
        }
        this.originalFilename = originalFilename;
        this.contentType = contentType == null || contentType.isBlank()
                ? StorageEngine.DEFAULT_CONTENT_TYPE : contentType;
        try {
            MetadataLimits.checkContentType(this.contentType); // before a byte of the content is read
        } catch (SeException e) {
            abort();
            throw e;
        }
        String dataName = DataFileNames.of(originalFilename, subject, startedAt, fileId);
        String dataRel = engine.layout.storagePath(fileId, dataName);
        String tempRel = engine.layout.storagePath(fileId, ".upload-" + fileId + ".tmp");
        try {
            Path shard = engine.layout.shardDir(fileId);
            AtomicFiles.createDirectoriesDurably(shard); // the upload is lost with its shard otherwise
            tx = engine.wal.begin(WalOperation.FILE_CREATE, fileId, tempRel, dataRel, dataRel + AttrCodec.SUFFIX);
            CrashPoints.hit("upload.wal-begun");
            FileChannel ch = FileChannel.open(engine.layout.resolve(tempRel), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            try {
                CrashPoints.hit("upload.temp-created");
                written = ContentWriter.write(in, ch, engine.config.maxFileSize(), total -> {
                    reservation.ensure(total);
                    CrashPoints.hit("upload.content-partial");
                });
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            CrashPoints.hit("upload.content-written");
            contentDurable = syncInBackground(ch);
            state = State.CONTENT_WRITTEN;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Forces and closes the content file on a virtual thread, so its fsync overlaps the rest of the request
     * (remaining form fields, attr.json). {@link #commitPinned} waits for it before the commit point.
     */
    private CompletableFuture<Void> syncInBackground(FileChannel content) {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        Thread.ofVirtual().name("upload-content-fsync").start(() -> {
            try {
                try (content) {
                    engine.contentSync.sync(content);
                }
                CrashPoints.hit("upload.content-synced");
                durable.complete(null);
            } catch (IOException | RuntimeException e) {
                durable.completeExceptionally(e);
            }
        });
        return durable;
    }

    private void awaitContentDurable() throws IOException {
        try {
            contentDurable.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("fsync of the content failed", e);
        }
    }

    /**
     * Makes the upload durable and visible: re-checks the mode under the guard, renames the temp file to its
     * final name, writes attr.json atomically, fsyncs the directory, waits for the content's fsync, settles the
     * WAL, then indexes it. Returns only when the file survives a crash.
     *
     * @param ttlDays 1..365 or null for the default; ignored for permanent (rw) uploads
     * @throws SeException VALIDATION_ERROR (description, ttl), MODE_NOT_ALLOWED (mode changed meanwhile)
     */
    public FileMetadata commit(String description, List<String> tags, Integer ttlDays) throws IOException {
        if (state != State.CONTENT_WRITTEN) {
            throw new IllegalStateException("commit needs written content, state is " + state);
        }
        MetadataLimits.checkDescription(description);
        MetadataLimits.checkTags(tags);
        if (ttlDays != null && !Retention.isValidTtl(ttlDays)) {
            throw new SeException(ErrorCode.VALIDATION_ERROR,
                    "ttl_days must be between " + Retention.MIN_TTL_DAYS + " and " + Retention.MAX_TTL_DAYS);
        }
        try {
            FileMetadata committed = engine.commitUnderMode(Operation.UPLOAD, fileId,
                    () -> commitPinned(description, tags, ttlDays));
            state = State.COMMITTED;
            return committed;
        } finally {
            if (state != State.COMMITTED) {
                abort();
            }
            reservation.release(); // committed bytes now count as used in the index
        }
    }

    private FileMetadata commitPinned(String description, List<String> tags, Integer ttlDays) throws IOException {
        CommitSequencer.Ticket ticket = engine.sequencer.next();
        boolean published = false;
        try {
            Retention retention = Retention.forUpload(engine.mode(), ttlDays, ticket.uploadedAt());
            Path data = engine.layout.resolve(tx.dataPath());
            Files.move(engine.layout.resolve(tx.tempPath()), data, StandardCopyOption.ATOMIC_MOVE);
            CrashPoints.hit("upload.data-renamed");
            FileMetadata meta = new FileMetadata(fileId, baseName(originalFilename), contentType, written.size(),
                    written.sha256(), subject, ticket.uploadedAt(), description, tags, FileStatus.ACTIVE,
                    retention.policy(), retention.ttlDays(), retention.expiresAt(), tx.dataPath());
            // one directory fsync inside covers both renames (same shard directory)
            AtomicFiles.write(engine.layout.resolve(tx.attrPath()), AttrCodec.encode(meta), tx.tempTag(), "upload.attr");
            CrashPoints.hit("upload.attr-durable");
            awaitContentDurable(); // the rename before it was safe: until the WAL commit a crash rolls it back
            engine.wal.commit(tx);
            tx = null;
            CrashPoints.hit("upload.wal-settled");
            engine.sequencer.publish(ticket, () -> engine.indexPut(meta));
            published = true;
            CrashPoints.hit("upload.indexed");
            return meta;
        } finally {
            if (!published) {
                engine.sequencer.cancel(ticket);
            }
        }
    }

    /** Contract §2: original_filename is the base name only. */
    private static String baseName(String name) {
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        String base = name.substring(cut + 1);
        return base.isEmpty() ? name : base;
    }

    /** Removes everything this upload wrote and settles its WAL record; safe to call repeatedly. */
    public void abort() {
        if (state == State.COMMITTED || state == State.ABORTED) {
            return;
        }
        state = State.ABORTED;
        reservation.release();
        if (tx != null) {
            try {
                engine.wal.rollback(tx);
                tx = null;
            } catch (IOException e) {
                // the pending record stays in the WAL, so the next startup's recovery removes the leftovers
                Events.log(LOG, Level.SEVERE, "upload_rollback_failed", e, "file_id", fileId,
                        "outcome", "recovery_at_next_start");
            }
        }
    }

    @Override
    public void close() {
        abort();
    }
}
