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
import io.artsore.se.memory.BufferBudget;
import io.artsore.se.metrics.SeMetrics;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.storage.filestore.ContentFiles;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
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
    /** Read and write size of a streamed body; one chunk per stream counts against the {@link BufferBudget}. */
    private static final int CHUNK = 128 * 1024;
    /** Bodies up to this size are read into memory and sent in one piece. */
    private static final int SMALL_BODY = 64 * 1024;
    private static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
    private static final Logger LOG = Logger.getLogger(DownloadApi.class.getName());

    private final StorageEngine engine;
    private final Authorizer auth;
    private final SeMetrics metrics;
    private final FileLookup lookup;
    private final Clock clock;
    private final BufferBudget budget;

    public DownloadApi(StorageEngine engine, Authorizer auth, SeMetrics metrics, FileLookup lookup, Clock clock,
                       BufferBudget budget) {
        this.engine = engine;
        this.auth = auth;
        this.metrics = metrics;
        this.lookup = lookup;
        this.clock = clock;
        this.budget = budget;
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
        res.header(HeaderNames.ACCEPT_RANGES, "bytes");
        if (notModified(req, etag, lastModified)) {
            setValidators(res, etag, lastModified);
            res.status(304).send();
            return;
        }
        RangeResult range = requestedRange(req, file.size(), etag, lastModified);
        if (range instanceof RangeResult.NotSatisfiable unsatisfiable) {
            throw new ApiException(ErrorCode.INVALID_RANGE, "range not satisfiable: " + unsatisfiable.reason(),
                    Map.of("Content-Range", unsatisfiable.contentRange(), HeaderNames.ETAG.defaultCase(), etag,
                            HeaderNames.LAST_MODIFIED.defaultCase(), HttpDates.format(lastModified)));
        }
        long start = 0;
        long length = file.size();
        String contentRange = null;
        if (range instanceof RangeResult.Partial partial) {
            start = partial.start();
            length = partial.length();
            contentRange = partial.contentRange();
        }
        // The entity headers (length, validators, disposition) are set only once the content has been read
        // far enough to be sure a body follows: set earlier, an error answer would carry the file's
        // Content-Length and the client would wait for bytes that never come (security review M4).
        Runnable entityHeaders = entityHeaders(res, file, etag, lastModified, length, contentRange);
        try (FileChannel channel = open(file)) {
            if (channel.size() < start + length) {
                // content shorter than attr.json says (lost in a power cut without its fsync, or damaged): fail
                // before the headers go out, a 200 with a cut-off body would look like a network error
                throw truncated(file);
            }
            if (!withBody) {
                entityHeaders.run();
                res.send();
            } else if (length <= SMALL_BODY) {
                // one send: headers and body leave in one write instead of the stream's separate header, chunk
                // and close writes (each its own TLS record); -22 % CPU per 4 KiB download (docs/performance.md)
                try (BufferBudget.Lease held = budget.reserve((int) length)) {
                    byte[] body = readFully(file, channel, start, (int) length);
                    entityHeaders.run();
                    res.send(body);
                }
            } else {
                try (BufferBudget.Lease held = budget.reserve(CHUNK)) {
                    stream(res, file, channel, start, length, entityHeaders);
                }
            }
            metrics.operation("download", true);
        } catch (IOException | RuntimeException e) {
            metrics.operation("download", false);
            throw e;
        }
    }

    private static Runnable entityHeaders(ServerResponse res, FileMetadata file, String etag, Instant lastModified,
                                          long length, String contentRange) {
        return () -> {
            res.status(contentRange == null ? 200 : 206);
            if (contentRange != null) {
                res.header(HeaderNames.CONTENT_RANGE, contentRange);
            }
            setValidators(res, etag, lastModified);
            res.header(HeaderNames.CONTENT_TYPE, file.contentType());
            res.header(HeaderNames.CONTENT_DISPOSITION, ContentDisposition.attachment(file.originalFilename()));
            res.header(NOSNIFF, "nosniff");
            res.contentLength(length);
        };
    }

    private static void setValidators(ServerResponse res, String etag, Instant lastModified) {
        res.header(HeaderNames.ETAG, etag);
        res.header(HeaderNames.LAST_MODIFIED, HttpDates.format(lastModified));
    }

    /**
     * Streams a large body. The first chunk is read before any header is set, so content that cannot be read
     * at all is still a well-formed error answer; a failure after that breaks the connection, since the client
     * has been promised {@code length} bytes and appending an error would corrupt the framing.
     */
    private static void stream(ServerResponse res, FileMetadata file, FileChannel channel, long start, long length,
                               Runnable entityHeaders) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, length));
        int first = readChunk(file, channel, buffer, start, length);
        entityHeaders.run();
        OutputStream out = res.outputStream();
        try {
            out.write(buffer.array(), 0, first);
            copy(file, channel, buffer, start + first, length - first, out);
        } catch (IOException | RuntimeException e) {
            Events.log(LOG, Level.WARNING, "download_aborted", "file_id", file.fileId(), "reason", String.valueOf(e),
                    "outcome", "error");
            throw ErrorResponses.abort("download failed after its headers were sent", e);
        }
        out.close();
    }

    private FileChannel open(FileMetadata file) throws IOException {
        try {
            return engine.openContent(file);
        } catch (ContentFiles.NotRegularContentException e) {
            // planted on the volume (a link to a secret, a FIFO that would hang this thread): never served
            Events.log(LOG, Level.SEVERE, "content_not_regular", "operation", "download", "file_id", file.fileId(),
                    "kind", e.kind(), "outcome", "error");
            throw new ApiException(ErrorCode.INTERNAL_ERROR, "file content is unavailable");
        } catch (NoSuchFileException e) {
            // attr.json says the file exists but its content is missing: not a 404 (that would tell the
            // registry the file is gone for good) but an error a human must look at; reconcile reports it.
            Events.log(LOG, Level.SEVERE, "content_missing", "operation", "download", "file_id", file.fileId(),
                    "outcome", "error");
            throw new ApiException(ErrorCode.INTERNAL_ERROR, "file content is unavailable");
        }
    }

    private static byte[] readFully(FileMetadata file, FileChannel channel, long start, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw truncated(file);
            }
        }
        return buffer.array();
    }

    /** Fills {@code buffer} from {@code position} with up to {@code remaining} bytes; returns how many. */
    private static int readChunk(FileMetadata file, FileChannel channel, ByteBuffer buffer, long position,
                                 long remaining) throws IOException {
        buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
        int n = channel.read(buffer, position);
        if (n < 0) {
            throw truncated(file);
        }
        return n;
    }

    private static void copy(FileMetadata file, FileChannel channel, ByteBuffer buffer, long start, long length,
                             OutputStream out) throws IOException {
        long position = start;
        long remaining = length;
        while (remaining > 0) {
            int n = readChunk(file, channel, buffer, position, remaining);
            out.write(buffer.array(), 0, n);
            position += n;
            remaining -= n;
        }
    }

    private static ApiException truncated(FileMetadata file) {
        Events.log(LOG, Level.SEVERE, "content_truncated", "operation", "download", "file_id", file.fileId(),
                "outcome", "error");
        return new ApiException(ErrorCode.INTERNAL_ERROR, "file content is unavailable");
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
