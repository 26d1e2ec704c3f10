package io.artsore.se.storage.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    /** Every missing level is created (their durability is proven on the power-cut file system, e2e). */
    @Test
    void createsEveryMissingDirectoryLevelAndAcceptsExistingOnes() throws IOException {
        Path deep = dir.resolve("a/b/c");
        AtomicFiles.createDirectoriesDurably(deep);
        assertThat(deep).isDirectory();
        AtomicFiles.createDirectoriesDurably(deep);
        AtomicFiles.createDirectoriesDurably(dir.resolve("a/b2"));
        assertThat(dir.resolve("a/b2")).isDirectory();
        Files.delete(deep); // removed behind its back: made again, not taken for known
        AtomicFiles.createDirectoriesDurably(deep);
        assertThat(deep).isDirectory();
    }

    @Test
    void createDirectoriesDurablyRefusesAFileInTheWay() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> AtomicFiles.createDirectoriesDurably(dir.resolve("file/sub")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void writesNewFileAndLeavesNoTemp() throws IOException {
        Path target = dir.resolve("a.attr.json");
        AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("one");
        assertThat(listNames()).containsExactly("a.attr.json");
    }

    @Test
    void replacesExistingContentWhole() throws IOException {
        Path target = dir.resolve("a.attr.json");
        AtomicFiles.write(target, "a much longer first version".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "v2".getBytes(StandardCharsets.UTF_8), "tx-1", null);
        assertThat(target).hasContent("v2");
        assertThat(listNames()).containsExactly("a.attr.json");
    }

    @Test
    void taggedTempPathIsInTheSameDirectoryAndRecognisable() {
        Path temp = AtomicFiles.tempPath(dir.resolve("x.attr.json"), "abc");
        assertThat(temp.getParent()).isEqualTo(dir.toAbsolutePath());
        assertThat(AtomicFiles.isTempName(temp.getFileName().toString())).isTrue();
        assertThat(AtomicFiles.isTempName("x.attr.json")).isFalse();
    }

    @Test
    void staleTempWithTheSameTagIsOverwrittenNotAppended() throws IOException {
        Path target = dir.resolve("mode.json");
        Files.writeString(AtomicFiles.tempPath(target, "mode"), "stale leftover from a crash, longer than new");
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8), "mode", null);
        assertThat(target).hasContent("new");
        assertThat(listNames()).containsExactly("mode.json");
    }

    @Test
    void failedRenameLeavesTargetUntouchedAndRemovesTemp() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("child"), "x"); // a non-empty directory cannot be replaced
        assertThatThrownBy(() -> AtomicFiles.write(target, new byte[] {1}, "t", null))
                .isInstanceOf(IOException.class);
        assertThat(target).isDirectory();
        assertThat(listNames()).containsExactly("occupied");
    }

    @Test
    void deleteDurablyReportsWhetherSomethingWasRemoved() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThat(AtomicFiles.deleteDurably(f)).isTrue();
        assertThat(AtomicFiles.deleteDurably(f)).isFalse();
        assertThat(f).doesNotExist();
    }

    private java.util.List<String> listNames() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
