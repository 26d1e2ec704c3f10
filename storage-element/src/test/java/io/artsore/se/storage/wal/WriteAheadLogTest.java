package io.artsore.se.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.filestore.ShardLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir
    Path root;
    Path data;
    Path walDir;
    ShardLayout layout;
    WriteAheadLog wal;
    final UUID id = UUID.fromString("ab2b8c1e-6d4a-4f7b-9c1d-2e5a7b9c0d11");

    @BeforeEach
    void setUp() throws IOException {
        data = Files.createDirectories(root.resolve("data"));
        walDir = Files.createDirectories(root.resolve("wal"));
        layout = new ShardLayout(data);
        wal = new WriteAheadLog(walDir, layout, Clock.systemUTC());
        Files.createDirectories(data.resolve("ab"));
    }

    @Test
    void beginWritesAPendingRecordWithEveryPathAndCommitDeletesIt() throws IOException {
        WalRecord tx = wal.begin(WalOperation.FILE_CREATE, id, "ab/.t", "ab/d", "ab/d.attr.json");
        Path record = walDir.resolve(tx.transactionId() + ".wal.json");
        String json = Files.readString(record);
        assertThat(json).contains("\"transaction_id\":\"" + tx.transactionId() + "\"", "\"operation\":\"file_create\"",
                "\"status\":\"pending\"", "\"file_id\":\"" + id + "\"", "\"started_at\":", "\"completed_at\":null",
                "\"temp_path\":\"ab/.t\"", "\"data_path\":\"ab/d\"", "\"attr_path\":\"ab/d.attr.json\"",
                "\"attr_temp_path\":\"ab/.atomic-" + tx.transactionId() + ".tmp\"");
        assertThat(wal.pendingCount()).isEqualTo(1);
        wal.commit(tx);
        assertThat(record).doesNotExist();
        assertThat(wal.pendingCount()).isZero();
    }

    @Test
    void recoveryRemovesEverythingAnInterruptedCreateWrote() throws IOException {
        WalRecord tx = wal.begin(WalOperation.FILE_CREATE, id, "ab/.t", "ab/d", "ab/d.attr.json");
        Files.writeString(data.resolve("ab/.t"), "x");
        Files.writeString(data.resolve("ab/d"), "x");
        Files.writeString(data.resolve("ab/d.attr.json"), "{}");
        Files.writeString(layout.resolve(tx.attrTempPath()), "{");
        Files.writeString(data.resolve("ab/other"), "keep");
        RecoverySummary s = new WriteAheadLog(walDir, layout, Clock.systemUTC()).recover();
        assertThat(s.rolledBack()).isEqualTo(1);
        try (var l = Files.list(data.resolve("ab"))) {
            assertThat(l.map(p -> p.getFileName().toString())).containsExactly("other");
        }
        assertThat(wal.pendingCount()).isZero();
    }

    /** Replicated mode (security review H3): another replica may have adopted a complete interrupted upload. */
    @Test
    void aCompleteInterruptedUploadIsKeptWhenAskedAndAnIncompleteOneRolledBack() throws IOException {
        byte[] content = "whole content".getBytes(StandardCharsets.UTF_8);
        WalRecord whole = wal.begin(WalOperation.FILE_CREATE, id, "ab/.t", "ab/d", "ab/d.attr.json");
        Files.write(data.resolve("ab/d"), content);
        Files.write(data.resolve("ab/d.attr.json"), AttrCodec.encode(metadata(id, "ab/d", content)));
        UUID other = UUID.randomUUID();
        wal.begin(WalOperation.FILE_CREATE, other, "ab/.u", "ab/e", "ab/e.attr.json");
        Files.write(data.resolve("ab/e"), "short".getBytes(StandardCharsets.UTF_8)); // the content stopped early
        Files.write(data.resolve("ab/e.attr.json"), AttrCodec.encode(metadata(other, "ab/e", content)));

        RecoverySummary s = wal.recover(true);

        assertThat(s.writesKept()).isEqualTo(1);
        assertThat(s.rolledBack()).isEqualTo(1);
        assertThat(data.resolve("ab/d")).hasBinaryContent(content);
        assertThat(data.resolve("ab/d.attr.json")).exists();
        assertThat(data.resolve("ab/e")).doesNotExist();
        assertThat(data.resolve("ab/e.attr.json")).doesNotExist();
        assertThat(walDir.resolve(whole.transactionId() + ".wal.json")).doesNotExist();
        assertThat(wal.pendingCount()).isZero();
    }

    @Test
    void withoutBeingAskedEvenACompleteInterruptedUploadIsRolledBack() throws IOException {
        byte[] content = "whole content".getBytes(StandardCharsets.UTF_8);
        wal.begin(WalOperation.FILE_CREATE, id, "ab/.t", "ab/d", "ab/d.attr.json");
        Files.write(data.resolve("ab/d"), content);
        Files.write(data.resolve("ab/d.attr.json"), AttrCodec.encode(metadata(id, "ab/d", content)));

        assertThat(wal.recover().rolledBack()).isEqualTo(1);
        assertThat(data.resolve("ab/d")).doesNotExist();
    }

    private static FileMetadata metadata(UUID id, String storagePath, byte[] content) {
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new FileMetadata(id, "d.txt", "text/plain", content.length, sha, "alice",
                Instant.parse("2026-03-08T10:00:00Z"), null, List.of(), FileStatus.ACTIVE, RetentionPolicy.PERMANENT,
                null, null, storagePath);
    }

    @Test
    void recoveryRestoresThePreviousAttrWhileTheFileHoldsWhatTheInterruptedUpdateWrote() throws IOException {
        Path attr = Files.writeString(data.resolve("ab/d.attr.json"), "OLD");
        WalRecord tx = wal.beginRewrite(WalOperation.FILE_DELETE, id, "ab/d.attr.json", "OLD", "NEW");
        assertThat(Files.readString(walDir.resolve(tx.transactionId() + ".wal.json")))
                .contains("\"previous_attr\":\"OLD\"", "\"written_attr\":\"NEW\"");
        AtomicFiles.write(attr, "NEW".getBytes(StandardCharsets.UTF_8), tx.tempTag(), null);
        RecoverySummary s = wal.recover();
        assertThat(s.rolledBack()).isEqualTo(1);
        assertThat(attr).hasContent("OLD");
        assertThat(wal.pendingCount()).isZero();
    }

    @Test
    void anUpdateInterruptedBeforeItsRenameLeavesThePreviousAttrAndNoTemp() throws IOException {
        Path attr = Files.writeString(data.resolve("ab/d.attr.json"), "OLD");
        WalRecord tx = wal.beginRewrite(WalOperation.FILE_UPDATE, id, "ab/d.attr.json", "OLD", "NEW");
        Path temp = Files.writeString(layout.resolve(tx.attrTempPath()), "NE");
        wal.recover(true);
        assertThat(attr).hasContent("OLD");
        assertThat(temp).doesNotExist();
        assertThat(wal.pendingCount()).isZero();
    }

    /**
     * Security review H3: while this replica was down, the new leader adopted the interrupted write and then
     * changed or purged the file; recovery must not put the old attr.json back over that.
     */
    @Test
    void anInterruptedUpdateOrDeleteNeverOverwritesWhatAnotherWriterPutThereSince() throws IOException {
        Path attr = Files.writeString(data.resolve("ab/d.attr.json"), "LATER");
        wal.beginRewrite(WalOperation.FILE_UPDATE, id, "ab/d.attr.json", "OLD", "NEW");
        UUID purged = UUID.fromString("cd2b8c1e-6d4a-4f7b-9c1d-2e5a7b9c0d11");
        wal.beginRewrite(WalOperation.FILE_DELETE, purged, "ab/e.attr.json", "ACTIVE", "DELETED");
        for (boolean keepCompleteWrites : List.of(false, true)) {
            RecoverySummary s = wal.recover(keepCompleteWrites);
            assertThat(attr).hasContent("LATER");
            assertThat(data.resolve("ab/e.attr.json")).as("a purged file is not resurrected").doesNotExist();
            assertThat(wal.pendingCount()).isZero();
            if (!keepCompleteWrites) {
                assertThat(s.superseded()).isEqualTo(2);
                assertThat(s.rolledBack()).isZero();
                wal.beginRewrite(WalOperation.FILE_UPDATE, id, "ab/d.attr.json", "OLD", "NEW");
                wal.beginRewrite(WalOperation.FILE_DELETE, purged, "ab/e.attr.json", "ACTIVE", "DELETED");
            }
        }
    }

    @Test
    void aCompleteInterruptedUpdateIsKeptWhenAsked() throws IOException {
        Path attr = Files.writeString(data.resolve("ab/d.attr.json"), "OLD");
        WalRecord tx = wal.beginRewrite(WalOperation.FILE_UPDATE, id, "ab/d.attr.json", "OLD", "NEW");
        AtomicFiles.write(attr, "NEW".getBytes(StandardCharsets.UTF_8), tx.tempTag(), null);
        RecoverySummary s = wal.recover(true);
        assertThat(s.writesKept()).isEqualTo(1);
        assertThat(s.rolledBack()).isZero();
        assertThat(attr).hasContent("NEW");
        assertThat(wal.pendingCount()).isZero();
    }

    @Test
    void aRecordOfAVersionThatDidNotKeepTheWrittenAttrIsRestoredAsBefore() throws IOException {
        Path attr = Files.writeString(data.resolve("ab/d.attr.json"), "NEW");
        wal.beginRewrite(WalOperation.FILE_UPDATE, id, "ab/d.attr.json", "OLD", null);
        assertThat(wal.recover(true).rolledBack()).isEqualTo(1);
        assertThat(attr).hasContent("OLD");
    }

    @Test
    void recoveryFinishesAnInterruptedPurge() throws IOException {
        Files.writeString(data.resolve("ab/d"), "x");
        wal.begin(WalOperation.FILE_PURGE, id, null, "ab/d", "ab/d.attr.json");
        // the attr was already removed before the crash; the data was not
        RecoverySummary s = wal.recover();
        assertThat(s.purgesCompleted()).isEqualTo(1);
        assertThat(data.resolve("ab/d")).doesNotExist();
    }

    @Test
    void recoveryIsIdempotent() throws IOException {
        Files.writeString(data.resolve("ab/d"), "x");
        WalRecord tx = wal.begin(WalOperation.FILE_CREATE, id, "ab/.t", "ab/d", "ab/d.attr.json");
        byte[] record = Files.readAllBytes(walDir.resolve(tx.transactionId() + ".wal.json"));
        wal.recover();
        // simulate a crash after the undo but before the record was deleted: the record is back
        Files.write(walDir.resolve(tx.transactionId() + ".wal.json"), record);
        RecoverySummary again = wal.recover();
        assertThat(again.rolledBack()).isEqualTo(1);
        assertThat(data.resolve("ab/d")).doesNotExist();
        assertThat(wal.pendingCount()).isZero();
    }

    @Test
    void settledRecordsAndStrayTempsAreCleanedUp() throws IOException {
        Files.writeString(walDir.resolve("x.wal.json"), """
                {"transaction_id":"x","operation":"file_update","status":"committed",
                 "file_id":"%s","started_at":"2026-01-01T00:00:00Z","completed_at":"2026-01-01T00:00:01Z"}
                """.formatted(id));
        Files.writeString(walDir.resolve(".atomic-abc.tmp"), "{\"half");
        RecoverySummary s = wal.recover();
        assertThat(s.settledRecordsRemoved()).isEqualTo(1);
        assertThat(s.tempFilesRemoved()).isEqualTo(1);
        try (var l = Files.list(walDir)) {
            assertThat(l).isEmpty();
        }
    }

    @Test
    void aRecordCarriesItsFormatVersionAndAChecksumAndReadsBackEqual() throws IOException {
        WalRecord tx = wal.beginRewrite(WalOperation.FILE_UPDATE, id, "ab/d.attr.json", "{\"old\":\"é\"}", "NEW");
        byte[] bytes = Files.readAllBytes(walDir.resolve(tx.transactionId() + ".wal.json"));
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"format_version\":2,").matches("(?s).*,\"checksum\":\"crc32c:[0-9a-f]{8}\"}");
        assertThat(WalCodec.decode(bytes)).isEqualTo(tx);
    }

    /** Records of the previous format (no version, no checksum) are recovered exactly as before. */
    @Test
    void aPendingRecordOfThePreviousFormatIsStillRolledBack() throws IOException {
        Files.writeString(data.resolve("ab/d"), "x");
        Files.writeString(data.resolve("ab/d.attr.json"), "{}");
        Files.writeString(walDir.resolve("old.wal.json"), """
                {"transaction_id":"old","operation":"file_create","status":"pending","file_id":"%s",
                 "started_at":"2026-01-01T00:00:00Z","completed_at":null,"temp_path":"ab/.t","data_path":"ab/d",
                 "attr_path":"ab/d.attr.json","attr_temp_path":"ab/.atomic-old.tmp","previous_attr":null}
                """.formatted(id));
        RecoverySummary s = wal.recover();
        assertThat(s.rolledBack()).isEqualTo(1);
        assertThat(s.quarantined()).isZero();
        assertThat(data.resolve("ab/d")).doesNotExist();
        assertThat(data.resolve("ab/d.attr.json")).doesNotExist();
        assertThat(wal.pendingCount()).isZero();
    }

    /** A torn record no longer stops startup (L6): it is moved aside, the others are still recovered. */
    @Test
    void aTruncatedRecordIsQuarantinedAndTheOthersAreStillRecovered() throws IOException {
        Path torn = damagedCreateOf("ab/t", bytes -> Arrays.copyOf(bytes, bytes.length / 2));
        Files.writeString(data.resolve("ab/d"), "x");
        wal.begin(WalOperation.FILE_CREATE, id, "ab/.t", "ab/d", "ab/d.attr.json");

        RecoverySummary s = wal.recover();

        assertThat(s.quarantined()).isEqualTo(1);
        assertThat(s.rolledBack()).isEqualTo(1);
        assertThat(data.resolve("ab/d")).as("the readable record was rolled back").doesNotExist();
        assertThat(data.resolve("ab/t")).as("what the torn record was about is left as it is").hasContent("t");
        assertThat(torn).doesNotExist();
        assertThat(WalQuarantine.in(walDir).directory().resolve(torn.getFileName())).exists();
        assertThat(WalQuarantine.in(walDir).count()).isEqualTo(1);
        assertThat(wal.pendingCount()).isZero();
        assertThat(wal.recover().quarantined()).as("the quarantine is not read again").isZero();
    }

    /** A flipped byte that still parses as JSON would have undone the wrong file without the checksum. */
    @Test
    void aRecordWithAFlippedByteIsQuarantinedNotActedOn() throws IOException {
        Files.writeString(data.resolve("ab/u"), "someone else's file");
        damagedCreateOf("ab/t", bytes -> flip(bytes, "ab/t\"", "ab/u\""));
        assertThat(wal.recover().quarantined()).isEqualTo(1);
        assertThat(data.resolve("ab/u")).hasContent("someone else's file");
        assertThat(data.resolve("ab/t")).hasContent("t");
    }

    /** Dropping the checksum (or the version) must not turn a checked record into one of the previous format. */
    @Test
    void aRecordThatLostItsChecksumOrHasAnUnknownVersionIsQuarantined() throws IOException {
        damagedCreateOf("ab/t", bytes -> {
            String json = new String(bytes, StandardCharsets.UTF_8);
            return (json.substring(0, json.indexOf(",\"checksum\"")) + "}").getBytes(StandardCharsets.UTF_8);
        });
        damagedCreateOf("ab/v", bytes -> flip(bytes, "\"format_version\":2", "\"format_version\":3"));
        assertThat(wal.recover().quarantined()).isEqualTo(2);
        assertThat(data.resolve("ab/t")).exists();
        assertThat(data.resolve("ab/v")).exists();
    }

    /** A pending create of a data file at {@code dataPath} (content "t"), its record then damaged. */
    private Path damagedCreateOf(String dataPath, UnaryOperator<byte[]> damage) throws IOException {
        Files.writeString(data.resolve(dataPath), "t");
        WalRecord tx = wal.begin(WalOperation.FILE_CREATE, UUID.randomUUID(), null, dataPath, null);
        Path record = walDir.resolve(tx.transactionId() + ".wal.json");
        Files.write(record, damage.apply(Files.readAllBytes(record)));
        return record;
    }

    private static byte[] flip(byte[] bytes, String from, String to) {
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains(from);
        return json.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }
}
