package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Full disks (issue 9, item 2): the data dir and the WAL dir are each a small tmpfs mounted by the test (root
 * needed; skipped with a message otherwise). {@code SE_MAX_CAPACITY} is far above the tmpfs size, so the real
 * free-space check and real ENOSPC are what the element meets.
 */
class DiskFullTest {
    private static final int MIB = 1024 * 1024;
    private static Path root;
    private static Path dataDir;
    private static Path walDir;
    private static boolean dataMounted;
    private static boolean walMounted;
    private static TokenForge forge;
    private static SeChild se;
    private static SeClient client;
    private static String token;

    @BeforeAll
    static void mountAndStart() throws Exception {
        root = Files.createTempDirectory("se-diskfull");
        dataDir = Files.createDirectories(root.resolve("data"));
        walDir = Files.createDirectories(root.resolve("wal"));
        dataMounted = Tmpfs.mount(dataDir, "8m");
        walMounted = dataMounted && Tmpfs.mount(walDir, "256k");
        Assumptions.assumeTrue(dataMounted && walMounted,
                "SKIPPED disk-full tests: cannot mount tmpfs here (they need root / CAP_SYS_ADMIN)");
        forge = new TokenForge();
        se = new SeChild(root, forge, Map.of("SE_MAX_CAPACITY", String.valueOf(1L << 30),
                "SE_MAX_FILE_SIZE", String.valueOf(32 * MIB))).start();
        client = new SeClient(se.url(), Duration.ofSeconds(30));
        token = forge.token("disk-filler", "files:read", "files:write");
    }

    @AfterEach
    void removeFillers() throws IOException {
        if (dataMounted && walMounted) {
            Files.deleteIfExists(dataDir.resolve("external-filler"));
            Files.deleteIfExists(walDir.resolve("external-filler"));
        }
    }

    @AfterAll
    static void stopAndUnmount() throws Exception {
        if (se != null) {
            se.close();
        }
        if (forge != null) {
            forge.close();
        }
        if (walMounted) {
            Tmpfs.unmount(walDir);
        }
        if (dataMounted) {
            Tmpfs.unmount(dataDir);
        }
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void fullDataDirRefusesUploadsWith507KeepsServingAndRecovers() throws Exception {
        byte[] kept = random(512 * 1024);
        HttpResponse<byte[]> keptUpload = client.upload(token, "kept.bin", kept, Map.of());
        assertThat(keptUpload.statusCode()).isEqualTo(201);
        String keptId = SeClient.json(keptUpload).get("file_id").asText();
        long filesBefore = client.listAll(token).size();

        RawHttp.Answer declared = uploadRaw("big-declared.bin", 12 * MIB, false, null);
        RawHttp.Answer streamed = uploadRaw("big-chunked.bin", 12 * MIB, true, null);
        Path filler = dataDir.resolve("external-filler");
        fillLeaving(filler, 1024 * 1024);
        RawHttp.Answer pastFreeSpace = uploadRaw("past-free.bin", 3 * MIB, true, null);
        // The disk fills up while a body streams in (after the admission check): real ENOSPC on write.
        RawHttp.Answer enospc = uploadRaw("enospc.bin", 3 * MIB, true, () -> fillLeaving(filler, 0));

        new Summary("disk-full-data").put("declared_too_big", declared.status())
                .put("chunked_too_big", streamed.status()).put("past_free_space", pastFreeSpace.status())
                .put("enospc_mid_stream", enospc.status() + "/" + errorCode(enospc)).print();
        assertStorageFull(declared);
        assertStorageFull(streamed);
        assertStorageFull(pastFreeSpace);
        assertStorageFull(enospc);

        assertNothingPartial();
        assertThat(client.listAll(token)).hasSize((int) filesBefore);
        HttpResponse<byte[]> read = client.get("/api/v1/files/" + keptId + "/download", token);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(SeClient.sha256(read.body())).isEqualTo(SeClient.sha256(kept));

        Files.delete(filler);
        HttpResponse<byte[]> again = client.upload(token, "after-free.bin", random(3 * MIB), Map.of());
        assertThat(again.statusCode()).as(SeClient.text(again)).isEqualTo(201);
        assertNothingPartial();
    }

    @Test
    void fullWalDirFailsUploadsCleanlyAndRecovers() throws Exception {
        Path filler = walDir.resolve("external-filler");
        fillLeaving(filler, 0);
        HttpResponse<byte[]> refused = client.upload(token, "wal-full.bin", random(64 * 1024), Map.of());
        HttpResponse<byte[]> ready = client.get("/health/ready", null);
        new Summary("disk-full-wal").put("upload_status", refused.statusCode())
                .put("upload_code", SeClient.json(refused).path("error").path("code").asText())
                .put("ready_status", ready.statusCode())
                .put("ready_wal", SeClient.json(ready).path("checks").path("wal").path("status").asText()).print();
        // A full WAL volume is a full disk for the client: 507 STORAGE_FULL (was 500 INTERNAL_ERROR).
        assertThat(refused.statusCode()).as(SeClient.text(refused)).isEqualTo(507);
        assertThat(SeClient.json(refused).path("error").path("code").asText()).isEqualTo("STORAGE_FULL");
        assertErrorEnvelope(SeClient.text(refused), refused.headers().firstValue("Content-Type").orElse(""));
        // Readiness reports it without failing: reads still work, so the element stays in its Service.
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode readiness = SeClient.json(ready);
        assertThat(readiness.path("status").asText()).isEqualTo("degraded");
        assertThat(readiness.path("checks").path("wal").path("status").asText()).isEqualTo("degraded");
        assertThat(readiness.path("checks").path("wal").path("message").asText()).startsWith("WAL volume full");
        try (var wal = Files.list(walDir)) {
            assertThat(wal.toList()).as("only the filler in the WAL dir").containsExactly(filler);
        }
        assertThat(DiskState.scan(dataDir, walDir).leftovers()).isEmpty();

        Files.delete(filler);
        HttpResponse<byte[]> again = client.upload(token, "wal-free.bin", random(64 * 1024), Map.of());
        assertThat(again.statusCode()).as(SeClient.text(again)).isEqualTo(201);
        assertThat(SeClient.json(client.get("/health/ready", null)).path("checks").path("wal").path("status").asText())
                .isEqualTo("ok");
        assertNothingPartial();
    }

    private static void assertStorageFull(RawHttp.Answer a) {
        assertThat(a.status()).as(a.head() + a.bodyText()).isEqualTo(507);
        assertThat(errorCode(a)).isEqualTo("STORAGE_FULL");
        assertErrorEnvelope(a.bodyText(), a.header("Content-Type"));
    }

    private static String errorCode(RawHttp.Answer a) {
        try {
            return SeClient.JSON.readTree(a.body()).path("error").path("code").asText();
        } catch (IOException e) {
            return "not-json";
        }
    }

    static void assertErrorEnvelope(String body, String contentType) {
        assertThat(contentType).startsWith("application/json");
        assertThat(body).contains("\"error\"").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain(root.toString());
    }

    private static void assertNothingPartial() throws IOException {
        DiskState disk = DiskState.scan(dataDir, walDir);
        assertThat(disk.leftovers()).as("temp or orphan files")
                .allMatch(p -> p.getFileName().toString().equals("external-filler"));
        assertThat(disk.walFiles()).as("WAL records").isEmpty();
    }

    /** Grows (or creates) {@code filler} until the volume has at most {@code leave} bytes free. */
    private static void fillLeaving(Path filler, long leave) {
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            while (Files.getFileStore(filler).getUsableSpace() > leave) {
                long room = Files.getFileStore(filler).getUsableSpace() - leave;
                block.clear().limit((int) Math.min(block.capacity(), room));
                ch.write(block);
            }
        } catch (IOException e) {
            // ENOSPC: as full as it gets
        }
    }

    /**
     * An upload over a raw socket (the element may answer before the body is sent): with Content-Length, or
     * chunked; {@code midway} runs after the first 256 KiB were sent and the server had time to take them.
     */
    private RawHttp.Answer uploadRaw(String name, int size, boolean chunked, Runnable midway) throws Exception {
        byte[] body = SeClient.multipart(RawHttp.ascii(name), random(size), Map.of());
        String head = "POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: " + SeClient.multipartType() + "\r\nConnection: close\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), se.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(RawHttp.ascii(head));
                    int first = 256 * 1024;
                    write(out, body, 0, first, chunked);
                    if (midway != null) {
                        Thread.sleep(1500);
                        midway.run();
                    }
                    write(out, body, first, body.length - first, chunked);
                    if (chunked) {
                        out.write(RawHttp.ascii("0\r\n\r\n"));
                    }
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    // answered early and closed
                }
            });
            RawHttp.Answer answer = RawHttp.read(in);
            writer.join(30_000);
            return answer;
        }
    }

    private static void write(OutputStream out, byte[] body, int from, int length, boolean chunked)
            throws IOException {
        for (int off = from; off < from + length; off += 64 * 1024) {
            int n = Math.min(64 * 1024, from + length - off);
            byte[] part = java.util.Arrays.copyOfRange(body, off, off + n);
            out.write(chunked ? RawHttp.chunk(part) : part);
        }
        out.flush();
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
