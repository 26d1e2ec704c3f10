package io.artsore.e2e.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.e2e.jwksmock.JwksMock;
import io.artsore.e2e.jwksmock.MockConfig;
import io.artsore.se.config.ConfigLoader;
import io.artsore.se.server.StorageElementServer;
import io.artsore.se.storage.index.IndexStats;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short runs of the load generator against a real Storage Element (in-process, plain HTTP on loopback, tokens
 * from a jwks-mock): the generator's counts must match what the element stored and served, with no errors.
 */
class LoadGenAgainstStorageElementTest {

    @TempDir
    Path dir;
    private JwksMock mock;
    private StorageElementServer server;

    @BeforeEach
    void start() throws Exception {
        mock = new JwksMock(MockConfig.forTests());
        mock.start();
        Map<String, String> env = Map.of(
                "SE_STORAGE_ID", "se-loadgen-test",
                "SE_DATA_DIR", dir.resolve("data").toString(),
                "SE_WAL_DIR", dir.resolve("wal").toString(),
                "SE_MAX_CAPACITY", String.valueOf(1L << 30),
                "SE_MAX_FILE_SIZE", String.valueOf(1L << 20),
                "SE_BIND_ADDRESS", "127.0.0.1",
                "SE_PORT", "0",
                "SE_DEV_INSECURE_HTTP", "true",
                "SE_JWKS_URL", mock.baseUri().resolve("/jwks").toString());
        server = StorageElementServer.start(ConfigLoader.load(env), Clock.systemUTC(), null);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        mock.close();
    }

    private Report run(String... args) throws Exception {
        String[] all = Stream.concat(Stream.of("--url", "http://127.0.0.1:" + server.port(),
                "--jwks-mock", mock.baseUri().toString()), Arrays.stream(args)).toArray(String[]::new);
        return new LoadRunner(LoadConfig.parse(all)).run();
    }

    private IndexStats stored() {
        return server.engine().stats();
    }

    @Test
    void everyUploadIsStoredAndItsBytesCounted() throws Exception {
        Report report = run("--workload", "upload", "--ops", "200", "--clients", "8", "--size", "1k-8k");

        OpStats upload = report.get(OpType.UPLOAD);
        assertThat(report.totalErrors()).isZero();
        assertThat(upload.ops()).isEqualTo(200);
        assertThat(stored().active()).isEqualTo(200);
        assertThat(upload.bytes()).isEqualTo(stored().usedBytes()).isBetween(200L * 1024, 200L * 8192);
    }

    @Test
    void downloadsReceiveEveryByteOfThePreparedFiles() throws Exception {
        Report report = run("--workload", "download", "--ops", "300", "--clients", "6", "--size", "4k",
                "--prepare", "12");

        assertThat(report.totalErrors()).isZero();
        assertThat(stored().active()).as("prepared, not measured").isEqualTo(12);
        assertThat(report.get(OpType.UPLOAD).ops()).isZero();
        assertThat(report.get(OpType.DOWNLOAD).ops()).isEqualTo(300);
        assertThat(report.get(OpType.DOWNLOAD).bytes()).isEqualTo(300L * 4096);
    }

    @Test
    void rangedDownloadsReceiveExactlyTheRangeSize() throws Exception {
        Report report = run("--workload", "range", "--ops", "200", "--clients", "4", "--size", "4k-16k",
                "--range-size", "1k", "--prepare", "8");

        assertThat(report.totalErrors()).isZero();
        assertThat(report.get(OpType.RANGE).ops()).isEqualTo(200);
        assertThat(report.get(OpType.RANGE).bytes()).isEqualTo(200L * 1024);
    }

    @Test
    void listPagesAndMixedWorkloadsCountEveryOperation() throws Exception {
        run("--workload", "upload", "--ops", "25", "--clients", "2", "--size", "1k");
        Report list = run("--workload", "list", "--ops", "9", "--clients", "1", "--list-limit", "10");
        Report mixed = run("--mix", "upload=30,download=30,range=10,list=10,metadata=20", "--ops", "300",
                "--clients", "8", "--size", "2k", "--range-size", "512", "--prepare", "10");

        assertThat(list.totalErrors()).isZero();
        assertThat(list.get(OpType.LIST).ops()).isEqualTo(9);
        assertThat(mixed.totalErrors()).isZero();
        assertThat(mixed.totalOps()).isEqualTo(300);
        assertThat(stored().active()).isEqualTo(25 + 10 + mixed.get(OpType.UPLOAD).ops());
        assertThat(mixed.get(OpType.DOWNLOAD).bytes()).isEqualTo(mixed.get(OpType.DOWNLOAD).ops() * 2048);
        assertThat(mixed.get(OpType.RANGE).bytes()).isEqualTo(mixed.get(OpType.RANGE).ops() * 512);
    }
}
