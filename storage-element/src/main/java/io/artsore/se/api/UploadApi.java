package io.artsore.se.api;

import io.artsore.se.api.auth.Principal;
import io.artsore.se.api.multipart.MultipartReader;
import io.artsore.se.api.multipart.Part;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.Operation;
import io.artsore.se.domain.Retention;
import io.artsore.se.domain.SeException;
import io.artsore.se.logging.Events;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /api/v1/files/upload}: streams the {@code file} part straight to the data volume while hashing
 * it. Mode, declared size and capacity are refused before a byte of the body is read.
 */
public final class UploadApi {
    /** Room for part headers, description and tags on top of the file in a declared Content-Length. */
    static final long MULTIPART_OVERHEAD_ALLOWANCE = 1024 * 1024;
    static final int MAX_TEXT_FIELD_BYTES = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(UploadApi.class.getName());

    private final StorageEngine engine;
    private final Authorizer auth;
    private final SeMetrics metrics;
    private final long maxFileSize;

    public UploadApi(StorageEngine engine, Authorizer auth, SeMetrics metrics, long maxFileSize) {
        this.engine = engine;
        this.auth = auth;
        this.metrics = metrics;
        this.maxFileSize = maxFileSize;
    }

    public void upload(ServerRequest req, ServerResponse res) throws IOException {
        Principal principal = auth.require(req, Scopes.FILES_WRITE);
        if (!engine.mode().allows(Operation.UPLOAD)) {
            throw new ApiException(ErrorCode.MODE_NOT_ALLOWED, "upload is not allowed in mode "
                    + engine.mode().wireName());
        }
        // The Content-Type describes the body, so it is body validation: after the mode (docs/contract.md §3 order).
        String boundary = MultipartReader.boundaryOf(
                req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null));
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxFileSize + MULTIPART_OVERHEAD_ALLOWANCE) {
            throw tooLarge();
        }
        try (PendingUpload upload = engine.beginUpload(principal.subject(),
                declared < 0 ? -1 : Math.min(declared, maxFileSize))) {
            FileMetadata stored = receive(req, boundary, upload);
            metrics.operation("upload", true);
            Events.log(LOG, Level.INFO, "file_uploaded", "operation", "upload", "file_id", stored.fileId(),
                    "subject", principal.subject(), "size", stored.size(), "outcome", "success");
            Json.send(res, 201, FileMetadataView.of(stored));
        } catch (SeException | IOException e) {
            metrics.operation("upload", false);
            Events.log(LOG, Level.INFO, "file_upload_failed", "operation", "upload",
                    "subject", principal.subject(), "outcome", "error", "reason", e.getMessage());
            if (e instanceof SeException se
                    && (se.code() == ErrorCode.FILE_TOO_LARGE || se.code() == ErrorCode.SERVER_BUSY)) {
                // The rest of the body is not read; tell the client not to reuse the connection.
                res.header(HeaderNames.CONNECTION, "close");
            }
            if (e instanceof IOException io && isDiskFull(io)) {
                throw new SeException(ErrorCode.STORAGE_FULL, "not enough disk space for this file");
            }
            throw e;
        }
    }

    /**
     * ENOSPC from the data or WAL volume: the disk filled up after admission (other writers, filesystem
     * overhead). The JDK reports it only as a plain IOException carrying the OS error text.
     */
    static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if ("No space left on device".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private FileMetadata receive(ServerRequest req, String boundary, PendingUpload upload) throws IOException {
        MultipartReader reader = new MultipartReader(req.content().inputStream(), boundary,
                MultipartReader.Limits.DEFAULT);
        boolean haveFile = false;
        String description = null;
        List<String> tags = null;
        Integer ttlDays = null;
        for (Optional<Part> next = reader.next(); next.isPresent(); next = reader.next()) {
            Part part = next.get();
            switch (part.name() == null ? "" : part.name()) {
                case "file" -> {
                    if (haveFile) {
                        throw ApiException.validation("exactly one file part is allowed");
                    }
                    String name = UploadFileNames.baseName(part.filename());
                    upload.writeContent(name, part.declaredContentType().orElse("application/octet-stream"),
                            part.body());
                    haveFile = true;
                }
                case "description" -> description = Validation.description(
                        once(description, part).readText(MAX_TEXT_FIELD_BYTES));
                case "tags" -> tags = Validation.tagsFromText(once(tags, part).readText(MAX_TEXT_FIELD_BYTES));
                case "ttl_days" -> ttlDays = ttlDays(once(ttlDays, part).readText(16));
                default -> {
                    // Unknown fields are skipped (next() drains them); the part count is bounded by the reader.
                }
            }
        }
        if (!haveFile) {
            throw ApiException.validation("the multipart body needs a file part");
        }
        return upload.commit(description, tags, ttlDays);
    }

    /**
     * A field given twice is refused, not last-wins: a filter in front of the element may have judged the
     * other copy (security review I3).
     */
    private static Part once(Object earlier, Part part) {
        if (earlier != null) {
            throw ApiException.validation("only one " + part.name() + " part is allowed");
        }
        return part;
    }

    private static Integer ttlDays(String text) {
        try {
            int days = Integer.parseInt(text.trim());
            if (Retention.isValidTtl(days)) {
                return days;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.validation("ttl_days must be an integer between " + Retention.MIN_TTL_DAYS + " and "
                + Retention.MAX_TTL_DAYS);
    }

    private SeException tooLarge() {
        return new SeException(ErrorCode.FILE_TOO_LARGE, "file exceeds the maximum size of " + maxFileSize
                + " bytes");
    }
}
