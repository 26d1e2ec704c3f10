package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.info;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.listTotal;
import static io.artsore.se.api.http.HttpTestSupport.upload;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.OpenApiContract;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 507 STORAGE_FULL at the configured capacity, and concurrent uploads cannot overshoot it. */
class CapacityHttpTest extends HttpTestBase {
    private static final int FILE = 60 * 1024;
    private static final long MAX_FILE = 64 * 1024;
    private static final long CAPACITY = 256 * 1024; // room for 4 files of FILE bytes, not 5

    @BeforeEach
    void start() throws Exception {
        startServer(Map.of("SE_MAX_FILE_SIZE", String.valueOf(MAX_FILE),
                "SE_MAX_CAPACITY", String.valueOf(CAPACITY)));
    }

    @Test
    void uploadBeyondCapacityIsStorageFull() throws Exception {
        for (int i = 0; i < 4; i++) {
            uploadOk(se, "f" + i + ".bin", new byte[FILE]);
        }
        HttpResponse<byte[]> r = upload(se, new MultipartBody().file("one-too-many.bin", "application/octet-stream",
                new byte[FILE]));
        assertThat(r.statusCode()).isEqualTo(507);
        assertThat(errorCode(r)).isEqualTo("STORAGE_FULL");
        JsonNode capacity = info(se).path("capacity");
        assertThat(capacity.path("total_bytes").asLong()).isEqualTo(CAPACITY);
        assertThat(capacity.path("used_bytes").asLong()).isEqualTo(4L * FILE);
        assertThat(capacity.path("available_bytes").asLong()).isEqualTo(CAPACITY - 4L * FILE);
        assertThat(listTotal(se)).isEqualTo(4);
        assertThat(HttpTestSupport.storedFiles(se)).hasSize(8); // 4 data files + 4 sidecars, no leftovers

        HttpResponse<byte[]> small = upload(se, new MultipartBody().file("fits.bin", "application/octet-stream",
                new byte[1024]));
        assertThat(small.statusCode()).as("what still fits is accepted").isEqualTo(201);
    }

    /** The declared length alone shows the upload cannot fit: 507 without a byte of the body. */
    @Test
    void declaredLengthBeyondFreeCapacityIsRefusedBeforeTheBody() throws Exception {
        for (int i = 0; i < 4; i++) {
            uploadOk(se, "f" + i + ".bin", new byte[FILE]);
        }
        RawHttp.Response r = RawHttp.exchange(se.server().port(), "POST /api/v1/files/upload HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: Bearer " + se.token("files:write") + "\r\n"
                + "Content-Type: multipart/form-data; boundary=xyz\r\n"
                + "Content-Length: " + FILE + "\r\n\r\n");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(507);
        assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("STORAGE_FULL");
        OpenApiContract.load().assertResponse("POST", "/api/v1/files/upload", r.status(), r::header, r.body());
    }

    @ParameterizedTest(name = "declared length {0}")
    @ValueSource(booleans = {true, false})
    void concurrentUploadsCannotOvershootCapacity(boolean declaredLength) throws Exception {
        int uploads = 12;
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong maxUsedSeen = new AtomicLong();
        List<Long> overshoots = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> watcher = pool.submit(() -> {
                while (!done.get()) {
                    JsonNode c = info(se).path("capacity");
                    long used = c.path("used_bytes").asLong();
                    maxUsedSeen.accumulateAndGet(used, Math::max);
                    if (used > c.path("total_bytes").asLong()) {
                        synchronized (overshoots) {
                            overshoots.add(used);
                        }
                    }
                }
                return null;
            });
            List<Future<StreamingUpload.Result>> results = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                results.add(pool.submit(() -> StreamingUpload.send(se.server().port(), se.token("files:write"), FILE,
                        declaredLength)));
            }
            int created = 0;
            for (Future<StreamingUpload.Result> f : results) {
                RawHttp.Response r = f.get().response();
                OpenApiContract.load().assertResponse("POST", "/api/v1/files/upload", r.status(), r::header, r.body());
                if (r.status() == 201) {
                    created++;
                } else {
                    assertThat(r.status()).as(r.bodyText()).isEqualTo(507);
                    assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("STORAGE_FULL");
                }
            }
            done.set(true);
            watcher.get();

            assertThat(created).isBetween(1, 4);
            assertThat(overshoots).isEmpty();
            assertThat(maxUsedSeen.get()).isLessThanOrEqualTo(CAPACITY);
            assertThat(info(se).path("capacity").path("used_bytes").asLong()).isEqualTo((long) created * FILE);
            assertThat(listTotal(se)).isEqualTo(created);
            assertThat(HttpTestSupport.storedFiles(se)).hasSize(2 * created);
        }
    }
}
