package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per rule of the power-cut file system's model (powercutfs.py): file data is durable at its file's
 * fsync, a directory entry at its directory's fsync, and nothing else survives a cut.
 */
class PowerCutFsTest {
    @TempDir
    Path root;
    PowerCutFs fs;
    Path dir;

    @BeforeEach
    void mount() throws Exception {
        Assumptions.assumeTrue(PowerCutFs.enabled(), "-Dse.powercut=off");
        fs = PowerCutFs.mount(root);
        dir = fs.root();
    }

    @AfterEach
    void unmount() throws Exception {
        if (fs != null) {
            fs.close();
        }
    }

    @Test
    void syncedWriteInSyncedDirectoryIsKept() throws Exception {
        write(dir.resolve("a"), "durable", true);
        fsyncDir(dir);
        fs.cut();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("durable");
    }

    @Test
    void writeAfterTheLastFsyncIsLost() throws Exception {
        write(dir.resolve("a"), "durable", true);
        fsyncDir(dir);
        append(dir.resolve("a"), "-unsynced", false);
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("durable-unsynced");
        fs.cut();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("durable");
    }

    @Test
    void truncateAfterTheLastFsyncIsUndone() throws Exception {
        write(dir.resolve("a"), "durable", true);
        fsyncDir(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve("a"), StandardOpenOption.WRITE)) {
            ch.truncate(2);
        }
        fs.cut();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("durable");
    }

    @Test
    void fileNeverFsyncedIsEmptyEvenWhenItsNameIsDurable() throws Exception {
        write(dir.resolve("a"), "never synced", false);
        fsyncDir(dir);
        fs.cut();
        assertThat(dir.resolve("a")).exists();
        assertThat(Files.size(dir.resolve("a"))).isZero();
    }

    @Test
    void newFileWithoutDirectoryFsyncIsLostEvenWhenItsDataIsSynced() throws Exception {
        write(dir.resolve("a"), "synced data", true);
        fs.cut();
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void renameWithoutDirectoryFsyncIsUndone() throws Exception {
        write(dir.resolve("old"), "x", true);
        fsyncDir(dir);
        Files.move(dir.resolve("old"), dir.resolve("new"), StandardCopyOption.ATOMIC_MOVE);
        fs.cut();
        assertThat(dir.resolve("old")).exists();
        assertThat(dir.resolve("new")).doesNotExist();
    }

    @Test
    void renameFollowedByDirectoryFsyncIsKept() throws Exception {
        write(dir.resolve("old"), "x", true);
        fsyncDir(dir);
        Files.move(dir.resolve("old"), dir.resolve("new"), StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(dir);
        fs.cut();
        assertThat(dir.resolve("old")).doesNotExist();
        assertThat(Files.readString(dir.resolve("new"))).isEqualTo("x");
    }

    /** The atomic-replace pattern: without the directory fsync the old content comes back, with it the new. */
    @Test
    void replacingRenameNeedsTheDirectoryFsync() throws Exception {
        write(dir.resolve("target"), "old", true);
        fsyncDir(dir);
        write(dir.resolve("tmp"), "new", true);
        Files.move(dir.resolve("tmp"), dir.resolve("target"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        fs.cut();
        assertThat(Files.readString(dir.resolve("target"))).isEqualTo("old");
        assertThat(dir.resolve("tmp")).doesNotExist();

        write(dir.resolve("tmp"), "new", true);
        Files.move(dir.resolve("tmp"), dir.resolve("target"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        fsyncDir(dir);
        fs.cut();
        assertThat(Files.readString(dir.resolve("target"))).isEqualTo("new");
    }

    /** Replacing a file whose new content was never fsynced leaves an empty file (the classic zero-length bug). */
    @Test
    void replacingRenameOfUnsyncedContentLeavesAnEmptyFile() throws Exception {
        write(dir.resolve("target"), "old", true);
        fsyncDir(dir);
        write(dir.resolve("tmp"), "new", false);
        Files.move(dir.resolve("tmp"), dir.resolve("target"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        fsyncDir(dir);
        fs.cut();
        assertThat(Files.size(dir.resolve("target"))).isZero();
    }

    @Test
    void unlinkWithoutDirectoryFsyncIsUndone() throws Exception {
        write(dir.resolve("a"), "x", true);
        fsyncDir(dir);
        Files.delete(dir.resolve("a"));
        fs.cut();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("x");

        Files.delete(dir.resolve("a"));
        fsyncDir(dir);
        fs.cut();
        assertThat(dir.resolve("a")).doesNotExist();
    }

    /** L6: a new directory's own fsync does not make it reachable; its parent's fsync does. */
    @Test
    void newDirectoryWithoutParentFsyncIsLostWithEverythingInIt() throws Exception {
        Path shard = Files.createDirectory(dir.resolve("77"));
        write(shard.resolve("f"), "x", true);
        fsyncDir(shard);
        fs.cut();
        assertThat(shard).doesNotExist();

        Files.createDirectory(shard);
        fsyncDir(dir);
        write(shard.resolve("f"), "x", true);
        fsyncDir(shard);
        fs.cut();
        assertThat(Files.readString(shard.resolve("f"))).isEqualTo("x");
    }

    @Test
    void newDirectoryWithParentFsyncButNoOwnFsyncIsEmpty() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("d"));
        fsyncDir(dir);
        write(sub.resolve("f"), "x", true);
        fs.cut();
        assertThat(sub).isDirectory();
        assertThat(sub.resolve("f")).doesNotExist();
    }

    /** A file's fsync is about the file only: a sibling's unsynced data is still lost. */
    @Test
    void fsyncOfOneFileDoesNotMakeAnotherDurable() throws Exception {
        write(dir.resolve("a"), "a", false);
        write(dir.resolve("b"), "b", true);
        fsyncDir(dir);
        fs.cut();
        assertThat(Files.size(dir.resolve("a"))).isZero();
        assertThat(Files.readString(dir.resolve("b"))).isEqualTo("b");
    }

    /** A torn cut keeps the durable part plus a 512-byte-aligned prefix of the last unsynced write. */
    @Test
    void tornCutKeepsAnAlignedPrefixOfTheLastUnsyncedWrite() throws Exception {
        byte[] durable = new byte[1000];
        Arrays.fill(durable, (byte) 'd');
        byte[] unsynced = new byte[64 * 1024];
        Arrays.fill(unsynced, (byte) 'u');
        Path a = dir.resolve("a");
        try (FileChannel ch = FileChannel.open(a, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(durable));
            ch.force(true);
            ch.write(ByteBuffer.wrap(unsynced), 4096);
        }
        fsyncDir(dir);
        fs.cutTearing();
        byte[] after = Files.readAllBytes(a);
        assertThat(Arrays.copyOf(after, durable.length)).isEqualTo(durable);
        if (after.length > durable.length) {
            assertThat((after.length - 4096) % 512).isZero();
            assertThat(after[after.length - 1]).isEqualTo((byte) 'u');
        }
    }

    @Test
    void everythingPresentAtMountIsDurable() throws Exception {
        fs.close();
        fs = null;
        Files.writeString(root.resolve("backing/data/before"), "there");
        fs = PowerCutFs.mount(root);
        fs.cut();
        assertThat(Files.readString(dir.resolve("before"))).isEqualTo("there");
    }

    static void write(Path file, String content, boolean fsync) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            if (fsync) {
                ch.force(true);
            }
        }
    }

    static void append(Path file, String content, boolean fsync) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            if (fsync) {
                ch.force(false);
            }
        }
    }

    static void fsyncDir(Path d) throws IOException {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
