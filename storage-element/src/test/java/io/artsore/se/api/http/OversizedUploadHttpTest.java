package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.info;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.listTotal;
import static io.artsore.se.api.http.HttpTestSupport.storedFiles;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.OpenApiContract;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 413 FILE_TOO_LARGE: refused from a declared Content-Length before the body is read, and aborted as soon as
 * the streamed file part crosses SE_MAX_FILE_SIZE, with nothing kept.
 */
class OversizedUploadHttpTest extends HttpTestBase {
    private static final Logger LOG = Logger.getLogger(OversizedUploadHttpTest.class.getName());
    private static final long LIMIT = 1L << 20;
    /** Generous bound for what the kernel buffers on loopback: both sides' buffers at their autotuning maximum. */
    private static final long SOCKET_BUFFERS = 48L << 20;

    @BeforeEach
    void start() throws Exception {
        startServer(Map.of("SE_MAX_FILE_SIZE", String.valueOf(LIMIT)));
    }

    /**
     * Chunked, so nothing is refused up front: the file is 128x the limit, far more than loopback can buffer
     * (the kernel's receive buffer autotunes up to {@code tcp_rmem} max, 32 MiB here), so a client that got the
     * whole body into the socket proves the server kept reading past the limit.
     */
    @Test
    void aChunkedBodyOverTheLimitIsCutOffEarly() throws Exception {
        long fileBytes = 128 * LIMIT;

        StreamingUpload.Result result = StreamingUpload.send(se.server().port(), se.token("files:write"),
                fileBytes, false);

        LOG.info("oversized chunked upload: client wrote " + result.bodyBytesWritten() + " of " + fileBytes
                + " bytes before the 413");
        assertTooLarge(result.response());
        assertThat(result.bodyComplete()).as("the server answered before the whole body was sent").isFalse();
        assertThat(result.bodyBytesWritten()).isLessThan(LIMIT + SOCKET_BUFFERS);
        assertNothingKept();
    }

    /**
     * With a declared length the body must fit the allowance for part headers, so the file can only be a bit
     * over the limit: small enough for loopback to buffer whole, so only the outcome is asserted, not when the
     * server answered.
     */
    @Test
    void aDeclaredBodyWhoseFileCrossesTheLimitIsRefused() throws Exception {
        StreamingUpload.Result result = StreamingUpload.send(se.server().port(), se.token("files:write"),
                LIMIT + 512 * 1024, true);

        assertTooLarge(result.response());
        assertNothingKept();
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedBeforeTheBody() throws Exception {
        RawHttp.Response r = RawHttp.exchange(se.server().port(), "POST /api/v1/files/upload HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: Bearer " + se.token("files:write") + "\r\n"
                + "Content-Type: multipart/form-data; boundary=xyz\r\n"
                + "Content-Length: " + (4 * LIMIT) + "\r\n\r\n");
        assertTooLarge(r);
        assertNothingKept();
    }

    @Test
    void aFileOfExactlyTheLimitIsAccepted() throws Exception {
        byte[] content = new byte[(int) LIMIT];
        content[7] = 7;
        assertThat(uploadOk(se, "limit.bin", content).path("size").asLong()).isEqualTo(LIMIT);
    }

    @Test
    void oneByteOverTheLimitIsRefused() throws Exception {
        StreamingUpload.Result result = StreamingUpload.send(se.server().port(), se.token("files:write"),
                LIMIT + 1, false);
        assertTooLarge(result.response());
        assertNothingKept();
    }

    private void assertTooLarge(RawHttp.Response r) throws Exception {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(413);
        assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("FILE_TOO_LARGE");
        OpenApiContract.load().assertResponse("POST", "/api/v1/files/upload", r.status(), r::header, r.body());
    }

    private void assertNothingKept() throws Exception {
        assertThat(storedFiles(se)).isEmpty();
        assertThat(listTotal(se)).isZero();
        assertThat(info(se).path("capacity").path("used_bytes").asLong()).isZero();
    }
}
