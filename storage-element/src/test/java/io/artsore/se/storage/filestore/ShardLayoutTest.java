package io.artsore.se.storage.filestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ShardLayoutTest {
    final ShardLayout layout = new ShardLayout(Path.of("/srv/data"));
    final UUID id = UUID.fromString("ab2b8c1e-6d4a-4f7b-9c1d-2e5a7b9c0d11");

    @Test
    void shardIsTheFirstTwoHexDigits() {
        assertThat(layout.shardDir(id)).isEqualTo(Path.of("/srv/data/ab"));
        assertThat(layout.storagePath(id, "n.txt")).isEqualTo("ab/n.txt");
        assertThat(layout.resolve("ab/n.txt")).isEqualTo(Path.of("/srv/data/ab/n.txt"));
        assertThat(layout.sidecar("ab/n.txt")).isEqualTo(Path.of("/srv/data/ab/n.txt.attr.json"));
    }

    @Test
    void storagePathsCannotLeaveTheDataDir() {
        assertThatThrownBy(() -> layout.resolve("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.resolve("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.resolve("ab/../..")).isInstanceOf(IllegalArgumentException.class);
    }
}
