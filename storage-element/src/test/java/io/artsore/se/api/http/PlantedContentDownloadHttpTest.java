package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.HttpTestBase;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Security review M3: a data file replaced on the volume by a symbolic link (to a secret), a FIFO (an open for
 * reading would wait for a writer forever) or reached through a linked shard directory is never served: a
 * well-formed 500 instead. The request timeout is the hang detector.
 */
class PlantedContentDownloadHttpTest extends HttpTestBase {
    private static final String SECRET = "TOKEN=not-for-downloaders";

    String id;
    Path data;
    Path secret;

    @BeforeEach
    void start() throws Exception {
        startServer(Map.of());
        id = uploadOk(se, "data.txt", "x".repeat(SECRET.length()).getBytes(StandardCharsets.UTF_8))
                .path("file_id").asText();
        data = dataFile(id);
        secret = Files.writeString(root.resolve("secret.env"), SECRET);
    }

    @Test
    void aSymlinkedDataFileIsNotFollowed() throws Exception {
        Files.delete(data);
        Files.createSymbolicLink(data, secret);
        assertUnavailable();
    }

    @Test
    void aFifoIsNotOpened() throws Exception {
        Files.delete(data);
        Process p = new ProcessBuilder("mkfifo", data.toString()).inheritIO().start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertUnavailable();
    }

    @Test
    void aLinkedShardDirectoryIsNotFollowed() throws Exception {
        Path shard = data.getParent();
        Path elsewhere = root.resolve("elsewhere");
        Files.move(shard, elsewhere);
        Files.createSymbolicLink(shard, elsewhere);
        assertUnavailable();
    }

    private void assertUnavailable() throws Exception {
        HttpResponse<byte[]> r = se.send(se.authorized("/api/v1/files/" + id + "/download", "files:read")
                .timeout(Duration.ofSeconds(10)).GET().build());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(errorCode(r)).isEqualTo("INTERNAL_ERROR");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
        assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
    }

    private Path dataFile(String fileId) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("data"))) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().contains(fileId))
                    .filter(p -> !p.getFileName().toString().endsWith(".attr.json"))
                    .findFirst().orElseThrow();
        }
    }
}
