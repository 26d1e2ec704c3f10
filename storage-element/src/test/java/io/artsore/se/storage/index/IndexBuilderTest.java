package io.artsore.se.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.storage.attr.AttrCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBuilderTest {
    @TempDir
    Path dataDir;

    private final Random random = new Random(17);
    private final AttrParser parser = attrFile -> AttrCodec.read(attrFile, dataDir);

    @Test
    void indexesShardedAndFlatLayoutsAndSkipsInternalFiles() throws IOException {
        List<FileMetadata> expected = new ArrayList<>();
        for (int i = 0; i < 700; i++) { // sharded: several batches per shard directory
            expected.add(writeSharded(TestFiles.realistic(random, i).withStatus(FileStatus.values()[i % 3])));
        }
        for (int i = 0; i < 300; i++) { // flat, as in existing data dirs
            FileMetadata m = TestFiles.realistic(random, 1000 + i);
            write(dataDir.resolve(m.fileId() + ".bin.attr.json"), m);
            expected.add(m);
        }
        Files.writeString(dataDir.resolve("mode.json"), "{\"mode\":\"rw\"}");
        Files.writeString(dataDir.resolve(".leader.lock"), "");
        Files.writeString(dataDir.resolve(".leader.info"), "host:1");
        Files.writeString(dataDir.resolve(".x.attr.json.tmp"), "half written");
        Files.writeString(dataDir.resolve(".y.attr.json"), "temp name ending like an attr file");
        Files.createDirectories(dataDir.resolve(".trash")).resolve("z.attr.json").toFile().createNewFile();
        Files.writeString(dataDir.resolve("data-without-sidecar.bin"), "payload");

        BuildResult result = new IndexBuilder(parser, 3).build(dataDir);

        assertThat(result.failures()).isEmpty();
        assertThat(result.filesScanned()).isEqualTo(1000);
        List<FileMetadata> indexed = new ArrayList<>();
        result.index().forEach(indexed::add);
        assertThat(indexed).isEqualTo(expected.stream().sorted(FileIndex.LIST_ORDER).toList());
        assertThat(result.index().stats()).isEqualTo(FileIndexModelTest.recount(expected));
        assertThat(result.index().bytesOf(FileStatus.DELETED)).isEqualTo(expected.stream()
                .filter(m -> m.status() == FileStatus.DELETED).mapToLong(FileMetadata::size).sum());
        result.index().checkInvariants();
        // The bulk-loaded index takes further writes like any other.
        FileMetadata later = TestFiles.realistic(random, 5000);
        result.index().put(later);
        assertThat(result.index().page(null, 1000, 10).items()).containsExactly(later);
    }

    @Test
    void unreadableAttrFilesAreReportedWithRelativePathsAndTheRestIsIndexed() throws IOException {
        FileMetadata good = writeSharded(TestFiles.realistic(random, 1));
        Path broken = Files.createDirectories(dataDir.resolve("ab")).resolve("broken.bin.attr.json");
        Files.writeString(broken, "{ not json");

        BuildResult result = new IndexBuilder(parser).build(dataDir);

        assertThat(result.filesScanned()).isEqualTo(2);
        assertThat(result.index().get(good.fileId())).contains(good);
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(BuildFailure.Kind.UNREADABLE);
            assertThat(f.path()).isEqualTo(Path.of("ab", "broken.bin.attr.json"));
            assertThat(f.message()).doesNotContain(dataDir.toString());
        });
    }

    @Test
    void duplicateIdsAreReportedAndTheCopyWithTheFirstStoragePathWinsWhateverTheScanOrder() throws IOException {
        FileMetadata original = TestFiles.realistic(random, 1);
        FileMetadata copy = new FileMetadata(original.fileId(), "copy.pdf", original.contentType(), 1,
                original.checksum(), original.uploadedBy(), original.uploadedAt(), null, null, FileStatus.ACTIVE,
                original.retentionPolicy(), null, null, "zz/copy.pdf");
        writeSharded(original);
        Files.createDirectories(dataDir.resolve("zz"));
        write(dataDir.resolve("zz/copy.pdf.attr.json"), copy);

        for (int parallelism = 1; parallelism <= 2; parallelism++) {
            BuildResult result = new IndexBuilder(parser, parallelism).build(dataDir);
            assertThat(result.index().size()).isEqualTo(1);
            assertThat(result.index().get(original.fileId())).contains(original); // its path sorts first
            assertThat(result.failures()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(BuildFailure.Kind.DUPLICATE_ID);
                assertThat(f.message()).contains(original.fileId().toString(), original.storagePath(), "zz/copy.pdf");
            });
        }
    }

    @Test
    void anAttrFileRemovedBeforeItIsReadIsNoFailure() throws IOException {
        FileMetadata kept = writeSharded(TestFiles.realistic(random, 1));
        FileMetadata purged = writeSharded(TestFiles.realistic(random, 2));
        Path purgedAttr = dataDir.resolve(purged.storagePath() + IndexBuilder.ATTR_SUFFIX);
        AttrParser purgedWhileScanning = attrFile -> {
            if (attrFile.equals(purgedAttr)) {
                Files.delete(attrFile);
            }
            return parser.parse(attrFile);
        };

        BuildResult result = new IndexBuilder(purgedWhileScanning).build(dataDir);

        assertThat(result.failures()).isEmpty();
        assertThat(result.index().size()).isEqualTo(1);
        assertThat(result.index().get(kept.fileId())).contains(kept);
    }

    @Test
    void aMissingDataDirIsAnErrorNotAnEmptyIndex() {
        assertThatThrownBy(() -> new IndexBuilder(parser).build(dataDir.resolve("missing")))
                .isInstanceOf(IOException.class);
    }

    private FileMetadata writeSharded(FileMetadata m) throws IOException {
        Path attr = dataDir.resolve(m.storagePath() + IndexBuilder.ATTR_SUFFIX);
        Files.createDirectories(attr.getParent());
        write(attr, m);
        return m;
    }

    private static void write(Path attrFile, FileMetadata m) throws IOException {
        Files.write(attrFile, AttrCodec.encode(m));
    }
}
