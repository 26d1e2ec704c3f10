package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.service.PendingUpload;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract §8 with 10,000 files: a client paging with {@code offset += len(items)} while uploads continue
 * sees every pre-existing file exactly once, in the stable (uploaded_at, file_id) order; limit 10000 is
 * accepted, 10001 is not. The files are created through the engine (many threads) to keep the run short;
 * the uploads during paging go through HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaginationHttpTest {
    private static final Logger LOG = Logger.getLogger(PaginationHttpTest.class.getName());
    private static final int FILES = 10_000;
    private static final int MAX_CONCURRENT_UPLOADS = 2_000;

    TestIssuer issuer;
    SeTestServer se;
    Set<String> preExisting = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        issuer = new TestIssuer();
        se = SeTestServer.start(root, issuer, Map.of());
        StorageEngine engine = se.server().engine();
        long t0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < FILES; i = next.getAndIncrement()) {
                        byte[] content = ("file " + i).getBytes(StandardCharsets.UTF_8);
                        try (PendingUpload u = engine.beginUpload("seeder", content.length)) {
                            u.writeContent("f" + i + ".txt", "text/plain", new ByteArrayInputStream(content));
                            preExisting.add(u.commit(null, null, null).fileId().toString());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        }
        LOG.info("created " + FILES + " files through the engine in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @AfterAll
    void stop() {
        se.close();
        issuer.close();
    }

    @Test
    void pagingWhileUploadsContinueSeesEveryFileExactlyOnce() throws Exception {
        AtomicBoolean paging = new AtomicBoolean(true);
        AtomicInteger uploadedDuring = new AtomicInteger();
        List<String> seen = new ArrayList<>();
        List<JsonNode> seenItems = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> uploaders = new ArrayList<>();
            for (int u = 0; u < 4; u++) {
                uploaders.add(pool.submit(() -> {
                    while (paging.get() && uploadedDuring.get() < MAX_CONCURRENT_UPLOADS) {
                        HttpResponse<byte[]> r = upload(se, new MultipartBody().file("late.txt", "text/plain",
                                new byte[] {1}));
                        assertThat(r.statusCode()).isEqualTo(201);
                        uploadedDuring.incrementAndGet();
                    }
                    return null;
                }));
            }
            long offset = 0;
            int pages = 0;
            while (true) {
                JsonNode page = json(se.send(se.authorized("/api/v1/files?limit=700&offset=" + offset, "files:read")
                        .GET().build()));
                pages++;
                assertThat(page.path("offset").asLong()).isEqualTo(offset);
                assertThat(page.path("limit").asInt()).isEqualTo(700);
                JsonNode items = page.path("items");
                items.forEach(item -> {
                    seen.add(item.path("file_id").asText());
                    seenItems.add(item);
                });
                offset += items.size();
                assertThat(page.path("has_more").asBoolean())
                        .isEqualTo(offset < page.path("total").asLong());
                if (!page.path("has_more").asBoolean() || pages > 100) {
                    break;
                }
            }
            paging.set(false);
            for (Future<?> f : uploaders) {
                f.get();
            }
        }
        LOG.info("paged " + seen.size() + " files while " + uploadedDuring.get() + " more were uploaded");

        Map<String, Integer> counts = new HashMap<>();
        seen.forEach(id -> counts.merge(id, 1, Integer::sum));
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey))
                .as("no file is listed twice").isEmpty();
        assertThat(new HashSet<>(seen)).containsAll(preExisting);
        assertThat(uploadedDuring.get()).as("uploads really overlapped the paging").isPositive();
        for (int i = 1; i < seenItems.size(); i++) {
            // The tie-break on file_id is the server's (UUID order); only the time order is checked here.
            assertThat(uploadedAt(seenItems.get(i - 1))).as("oldest first")
                    .isBeforeOrEqualTo(uploadedAt(seenItems.get(i)));
        }
    }

    @Test
    void largestPageIsAcceptedAndOneMoreIsNot() throws Exception {
        JsonNode page = json(se.send(se.authorized("/api/v1/files?limit=10000", "files:read").GET().build()));
        assertThat(page.path("items").size()).isEqualTo(10_000);
        assertThat(page.path("limit").asInt()).isEqualTo(10_000);
        long total = page.path("total").asLong();
        assertThat(total).isGreaterThanOrEqualTo(FILES);
        assertThat(page.path("has_more").asBoolean()).isEqualTo(total > 10_000);

        HttpResponse<byte[]> tooMany = se.send(se.authorized("/api/v1/files?limit=10001", "files:read").GET().build());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(errorCode(tooMany)).isEqualTo("VALIDATION_ERROR");

        JsonNode byDefault = json(se.send(se.authorized("/api/v1/files", "files:read").GET().build()));
        assertThat(byDefault.path("limit").asInt()).isEqualTo(100);
        assertThat(byDefault.path("items").size()).isEqualTo(100);
        assertThat(byDefault.path("has_more").asBoolean()).isTrue();

        JsonNode past = json(se.send(se.authorized("/api/v1/files?offset=" + (total + 5), "files:read").GET().build()));
        assertThat(past.path("items").isArray()).isTrue();
        assertThat(past.path("items").size()).isZero();
        assertThat(past.path("has_more").asBoolean()).isFalse();
        assertThat(past.path("total").asLong()).isEqualTo(total);
    }

    private static Instant uploadedAt(JsonNode item) {
        return Instant.parse(item.path("uploaded_at").asText());
    }
}
