package io.artsore.se.api;

import io.artsore.se.api.range.Conditionals;
import io.artsore.se.api.range.ContentDisposition;
import io.artsore.se.api.range.HttpDates;
import io.artsore.se.api.range.RangeRequest;
import io.artsore.se.api.range.RangeResult;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.Operation;
import io.artsore.se.logging.Events;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.StorageEngine;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET|HEAD /api/v1/files/{file_id}/download}: streams the content with ETag/Last-Modified validators,
 * single byte ranges (multi-range requests get the whole file, see {@link RangeRequest}) and conditional GET.
 */
public final class DownloadApi {
    private static final int CHUNK = 256 * 1024;
    /** Bodies up to this size are read into memory and sent in one piece. */
    private static final int SMALL_BODY = 64 * 1024;
    private static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
    private static final Logger LOG = Logger.getLogger(DownloadApi.class.getName());

    private final StorageEngine engine;
    private final Authorizer auth;
    private final SeMetrics metrics;
    private final FileLookup lookup;
    private final Clock clock;

    public DownloadApi(StorageEngine engine, Authorizer auth, SeMetrics metrics, FileLookup lookup, Clock clock) {
        this.engine = engine;
        this.auth = auth;
        this.metrics = metrics;
        this.lookup = lookup;
        this.clock = clock;
    }

    public void get(ServerRequest req, ServerResponse res) throws IOException {
        serve(req, res, true);
    }

    public void head(ServerRequest req, ServerResponse res) throws IOException {
        serve(req, res, false);
    }

    private void serve(ServerRequest req, ServerResponse res, boolean withBody) throws IOException {
        auth.require(req, Scopes.FILES_READ);
        UUID id = RequestParams.fileId(req);
        if (!engine.mode().allows(Operation.DOWNLOAD)) {
            throw new ApiException(ErrorCode.MODE_NOT_ALLOWED, "download is not allowed in mode "
                    + engine.mode().wireName());
        }
        FileMetadata file = lookup.require(id);
        if (!file.isReadableAt(clock.instant())) {
            throw new ApiException(ErrorCode.NOT_FOUND, "file " + id + " is " + effectiveStatus(file)
                    + " and can no longer be downloaded");
        }
        String etag = Conditionals.strongEtag(file.checksum());
        Instant lastModified = file.uploadedAt().truncatedTo(ChronoUnit.SECONDS);
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.LAST_MODIFIED, HttpDates.format(lastModified));
        res.header(HeaderNames.ACCEPT_RANGES, "bytes");
        if (notModified(req, etag, lastModified)) {
            res.status(304).send();
            return;
        }
        RangeResult range = requestedRange(req, file.size(), etag, lastModified);
        if (range instanceof RangeResult.NotSatisfiable unsatisfiable) {
            throw new ApiException(ErrorCode.INVALID_RANGE, "range not satisfiable: " + unsatisfiable.reason(),
                    Map.of("Content-Range", unsatisfiable.contentRange()));
        }
        long start = 0;
        long length = file.size();
        if (range instanceof RangeResult.Partial partial) {
            start = partial.start();
            length = partial.length();
            res.status(206);
            res.header(HeaderNames.CONTENT_RANGE, partial.contentRange());
        } else {
            res.status(200);
        }
        res.header(HeaderNames.CONTENT_TYPE, file.contentType());
        res.header(HeaderNames.CONTENT_DISPOSITION, ContentDisposition.attachment(file.originalFilename()));
        res.header(NOSNIFF, "nosniff");
        try (FileChannel channel = open(file)) {
            if (channel.size() < start + length) {
                // content shorter than attr.json says (lost in a power cut without its fsync, or damaged): fail
                // before the headers go out, a 200 with a cut-off body would look like a network error
                Events.log(LOG, Level.SEVERE, "content_truncated", "operation", "download", "file_id",
                        file.fileId(), "outcome", "error");
                throw new ApiException(ErrorCode.INTERNAL_ERROR, "file content is unavailable");
            }
            res.contentLength(length);
            if (!withBody) {
                res.send();
                return;
            }
            if (length <= SMALL_BODY) {
                // one send: headers and body leave in one write instead of the stream's separate header, chunk
                // and close writes (each its own TLS record); -22 % CPU per 4 KiB download (docs/performance.md)
                res.send(readFully(channel, start, (int) length));
            } else {
                try (OutputStream out = res.outputStream()) {
                    copy(channel, start, length, out);
                }
            }
            metrics.operation("download", true);
        } catch (IOException | RuntimeException e) {
            metrics.operation("download", false);
            throw e;
        }
    }

    private FileChannel open(FileMetadata file) throws IOException {
        try {
            return FileChannel.open(engine.contentPath(file), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            // attr.json says the file exists but its content is missing: not a 404 (that would tell the
            // registry the file is gone for good) but an error a human must look at; reconcile reports it.
            Events.log(LOG, Level.SEVERE, "content_missing", "operation", "download", "file_id", file.fileId(),
                    "outcome", "error");
            throw new ApiException(ErrorCode.INTERNAL_ERROR, "file content is unavailable");
        }
    }

    private static byte[] readFully(FileChannel channel, long start, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw new IOException("file shorter than its recorded size");
            }
        }
        return buffer.array();
    }

    private static void copy(FileChannel channel, long start, long length, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(length, 1)));
        long position = start;
        long remaining = length;
        while (remaining > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("file shorter than its recorded size");
            }
            out.write(buffer.array(), 0, n);
            position += n;
            remaining -= n;
        }
    }

    private boolean notModified(ServerRequest req, String etag, Instant lastModified) {
        var ifNoneMatch = req.headers().first(HeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch.isPresent()) {
            return Conditionals.ifNoneMatchMatches(ifNoneMatch.get(), etag);
        }
        return req.headers().first(HeaderNames.IF_MODIFIED_SINCE)
                .flatMap(since -> HttpDates.parse(since, clock))
                .map(since -> !lastModified.isAfter(since))
                .orElse(false);
    }

    private RangeResult requestedRange(ServerRequest req, long size, String etag, Instant lastModified) {
        var range = req.headers().first(HeaderNames.RANGE);
        if (range.isEmpty()) {
            return new RangeResult.Full();
        }
        var ifRange = req.headers().first(HeaderNames.IF_RANGE);
        if (ifRange.isPresent() && !Conditionals.ifRangeAllowsPartial(ifRange.get(), etag, lastModified, clock)) {
            return new RangeResult.Full();
        }
        return RangeRequest.evaluate(range.get(), size);
    }

    private String effectiveStatus(FileMetadata file) {
        return file.isExpiredAt(clock.instant()) ? "expired" : file.status().wireName();
    }
}
