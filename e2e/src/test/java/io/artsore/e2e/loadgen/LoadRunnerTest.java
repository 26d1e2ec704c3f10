package io.artsore.e2e.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short runs of the generator against {@link FakeSeServer}, comparing its counts with the server's. */
class LoadRunnerTest {

    private FakeSeServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeSeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Report run(String... args) throws Exception {
        String[] all = Stream.concat(Stream.of("--url", server.url()), Arrays.stream(args)).toArray(String[]::new);
        return new LoadRunner(LoadConfig.parse(all)).run();
    }

    @Test
    void uploadsExactlyTheRequestedOpsAndEveryPayloadByte() throws Exception {
        Report report = run("--workload", "upload", "--ops", "40", "--clients", "4", "--size", "1k-8k");

        OpStats upload = report.get(OpType.UPLOAD);
        assertThat(upload.ops()).isEqualTo(40);
        assertThat(upload.errors()).isZero();
        assertThat(server.uploads.get()).isEqualTo(40);
        assertThat(upload.bytes()).isEqualTo(server.uploadPayloadBytes.get()).isBetween(40L * 1024, 40L * 8192);
        assertThat(report.totalOps()).isEqualTo(40);
        assertThat(upload.latency().count()).isEqualTo(40);
    }

    @Test
    void downloadsAreDrainedAndCountedAfterPreparingFiles() throws Exception {
        Report report = run("--workload", "download", "--ops", "30", "--clients", "3", "--size", "2k", "--prepare", "5");

        assertThat(server.uploads.get()).as("prepared files, not measured").isEqualTo(5);
        assertThat(report.get(OpType.UPLOAD).ops()).isZero();
        OpStats download = report.get(OpType.DOWNLOAD);
        assertThat(download.ops()).isEqualTo(30);
        assertThat(download.errors()).isZero();
        assertThat(download.bytes()).isEqualTo(30L * 2048).isEqualTo(server.downloadBytesSent.get());
    }

    @Test
    void rangedDownloadsFetchExactlyTheRangeSize() throws Exception {
        Report report = run("--workload", "range", "--ops", "20", "--size", "4k", "--range-size", "1k", "--prepare", "2");

        OpStats range = report.get(OpType.RANGE);
        assertThat(range.ops()).isEqualTo(20);
        assertThat(range.errors()).isZero();
        assertThat(range.bytes()).isEqualTo(20L * 1024).isEqualTo(server.downloadBytesSent.get());
        assertThat(server.rangeRequests.get()).isEqualTo(20);
    }

    @Test
    void listPagesThroughTheStoreAndStartsOverAtTheEnd() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.preload(100);
        }
        Report report = run("--workload", "list", "--ops", "6", "--clients", "1", "--list-limit", "2");

        assertThat(report.get(OpType.LIST).ops()).isEqualTo(6);
        assertThat(server.listOffsets).containsExactly(0L, 2L, 4L, 0L, 2L, 4L);
    }

    @Test
    void metadataRequestsAreCounted() throws Exception {
        Report report = run("--workload", "metadata", "--ops", "12", "--prepare", "3");

        assertThat(report.get(OpType.METADATA).ops()).isEqualTo(12);
        assertThat(report.get(OpType.METADATA).errors()).isZero();
        assertThat(server.metadataRequests.get()).isEqualTo(12);
    }

    @Test
    void mixedWorkloadSplitsTheRequestedOpsAcrossAllTypes() throws Exception {
        Report report = run("--mix", "upload=1,download=1,range=1,list=1,metadata=1", "--ops", "100", "--clients", "4",
                "--size", "1k", "--range-size", "100", "--prepare", "4");

        assertThat(report.totalOps()).isEqualTo(100);
        assertThat(report.totalErrors()).isZero();
        for (OpType op : OpType.values()) {
            assertThat(report.get(op).ops()).as(op.label()).isPositive();
        }
        assertThat(server.uploads.get()).isEqualTo(4 + report.get(OpType.UPLOAD).ops());
    }

    @Test
    void serverErrorsAreCountedAsErrorsNotOps() throws Exception {
        server.failUploads = true;
        Report report = run("--workload", "upload", "--ops", "10", "--clients", "2");

        assertThat(report.get(OpType.UPLOAD).ops()).isZero();
        assertThat(report.get(OpType.UPLOAD).errors()).isEqualTo(10);
        assertThat(report.errorSamples()).containsValue(10L);
        assertThat(report.errorSamples().keySet()).anyMatch(k -> k.contains("500"));
    }

    @Test
    void aDurationBoundRunStopsOnItsOwn() throws Exception {
        Report report = run("--workload", "metadata", "--duration", "300ms", "--clients", "2", "--prepare", "1");

        assertThat(report.get(OpType.METADATA).ops()).isPositive();
        assertThat(report.totalErrors()).isZero();
        assertThat(report.elapsedSeconds()).isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void webdavTargetPutsAndGetsRawFiles() throws Exception {
        String[] args = {"--target", "webdav", "--url", server.url() + "/dav", "--mix", "upload=1,download=1",
            "--ops", "20", "--size", "3000", "--prepare", "2"};
        Report report = new LoadRunner(LoadConfig.parse(args)).run();

        assertThat(report.totalOps()).isEqualTo(20);
        assertThat(report.totalErrors()).isZero();
        assertThat(server.uploadPayloadBytes.get()).isEqualTo((2 + report.get(OpType.UPLOAD).ops()) * 3000);
        assertThat(report.get(OpType.DOWNLOAD).bytes()).isEqualTo(report.get(OpType.DOWNLOAD).ops() * 3000)
                .isEqualTo(server.downloadBytesSent.get());
    }

    @Test
    void sendsTheGivenTokenAsBearer() throws Exception {
        run("--workload", "upload", "--ops", "3", "--token", "abc");

        assertThat(server.authorizations).hasSize(3).containsOnly("Bearer abc");
    }

    @Test
    void fetchesTheTokenFromTheJwksMock() throws Exception {
        run("--workload", "upload", "--ops", "2", "--jwks-mock", server.url());

        assertThat(server.authorizations).containsOnly("Bearer " + FakeSeServer.MOCK_TOKEN).hasSize(2);
    }

    @Test
    void mainWritesJsonAndExitsNonZeroOnErrors(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("ok.json");
        assertThat(LoadGen.run(new String[] {"--url", server.url(), "--ops", "5", "--json", ok.toString()})).isZero();
        String json = Files.readString(ok);
        assertThat(json).contains("\"upload\": {\"ops\": 5, \"errors\": 0, \"bytes\": 20480")
                .contains("\"total_ops\": 5").contains("\"latency_ms\": {\"p50\": ");

        server.failUploads = true;
        assertThat(LoadGen.run(new String[] {"--url", server.url(), "--ops", "2"})).isEqualTo(1);
        assertThat(LoadGen.run(new String[] {"--url", server.url(), "--workload", "nope"})).isEqualTo(2);
    }

    @Test
    void failedPreparationAbortsTheRun() {
        server.failUploads = true;
        List<String> args = List.of("--url", server.url(), "--workload", "download", "--ops", "5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadRunner(LoadConfig.parse(args.toArray(String[]::new))).run())
                .hasMessageContaining("preparing files failed").hasMessageContaining("500");
    }
}
