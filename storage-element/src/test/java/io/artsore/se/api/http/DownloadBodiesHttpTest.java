package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Download bodies on both sides of DownloadApi's small-body threshold (sent in one piece below it, streamed in
 * chunks above it): full and ranged responses carry exactly the stored bytes.
 */
class DownloadBodiesHttpTest {
    @TempDir
    Path root;
    TestIssuer issuer;
    SeTestServer se;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        se = SeTestServer.start(root, issuer, Map.of());
    }

    @AfterEach
    void stop() {
        se.close();
        issuer.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4096, 65536, 65537, 600 * 1024 + 17})
    void fullAndRangedResponsesCarryTheStoredBytes(int size) throws Exception {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        String id = uploadOk(se, "blob.bin", content).path("file_id").asText();
        String path = "/api/v1/files/" + id + "/download";

        HttpResponse<byte[]> full = se.send(se.authorized(path, "files:read").GET().build());
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.headers().firstValueAsLong("Content-Length")).hasValue(size);
        assertThat(full.body()).isEqualTo(content);

        if (size > 2) {
            int first = size / 3;
            int last = size - 2;
            HttpResponse<byte[]> ranged = se.send(se.authorized(path, "files:read")
                    .header("Range", "bytes=" + first + "-" + last).GET().build());
            assertThat(ranged.statusCode()).isEqualTo(206);
            assertThat(ranged.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + size);
            assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(content, first, last + 1));
        }
    }
}
