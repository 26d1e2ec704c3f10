package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.HttpTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Security review M4: content that fails while a download is being prepared gives a well-formed error answer
 * (the JSON envelope framed by its own Content-Length, none of the file's entity headers) on a connection that
 * stays usable, never an answer that promises the file's length. A client read timeout is the hang detector.
 */
class BrokenContentDownloadHttpTest extends HttpTestBase {
    private static final int READ_TIMEOUT_MS = 10_000;

    @BeforeEach
    void start() throws Exception {
        startServer(Map.of());
    }

    @Test
    void aTruncatedSmallFileIsAWellFormed500() throws Exception {
        String id = upload(20_000);
        try (FileChannel ch = FileChannel.open(dataFile(id), StandardOpenOption.WRITE)) {
            ch.truncate(7_000);
        }
        assertWellFormedErrorThenUsable(id);
    }

    /**
     * Content that opens and claims enough bytes but cannot be read (a directory where the data file was: an
     * I/O error after the size check, like a failing disk).
     */
    @Test
    void unreadableContentIsAWellFormed500() throws Exception {
        String id = upload(1_000);
        Path data = dataFile(id);
        Files.delete(data);
        Files.createDirectory(data);
        assertWellFormedErrorThenUsable(id);
    }

    private void assertWellFormedErrorThenUsable(String id) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", se.server().port())) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(get("/api/v1/files/" + id + "/download", se.token("files:read")));
            out.flush();
            RawHttp.Response r = readOrFailOnHang(in);
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode error = HttpTestSupport.json(r.body());
            assertThat(error.path("error").path("code").asText()).isEqualTo("INTERNAL_ERROR");
            assertThat(r.header("content-length")).hasValue(String.valueOf(r.body().length));
            assertThat(r.headers()).doesNotContainKeys("content-disposition", "etag", "last-modified",
                    "content-range");

            // the framing held: the next answer on the same connection starts where the error ended
            out.write(get("/health/live", null));
            out.flush();
            assertThat(readOrFailOnHang(in).status()).isEqualTo(200);
        }
    }

    private static RawHttp.Response readOrFailOnHang(InputStream in) throws IOException {
        try {
            return RawHttp.read(in);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the client hung waiting for bytes the server announced but never sent", e);
        }
    }

    private static byte[] get(String path, String token) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private String upload(int size) throws Exception {
        byte[] content = new byte[size];
        new Random(7).nextBytes(content);
        return uploadOk(se, "data.bin", content).path("file_id").asText();
    }

    private Path dataFile(String id) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("data"))) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().contains(id))
                    .filter(p -> !p.getFileName().toString().endsWith(".attr.json"))
                    .findFirst().orElseThrow();
        }
    }
}
