package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderInfoTest {
    @TempDir
    Path data;

    @Test
    void roundTripsWithTheAddressOnTheFirstLine() throws Exception {
        assertThat(LeaderInfo.read(data)).isEmpty();
        LeaderInfo info = new LeaderInfo("se-0.se:8010", 7, 100, 200);
        info.write(data);
        assertThat(LeaderInfo.read(data)).contains(info);
        assertThat(Files.readAllLines(data.resolve(LeaderInfo.FILE_NAME)).get(0)).isEqualTo("se-0.se:8010");
    }

    @Test
    void aDamagedFileIsAnErrorNotAnEmptyEpoch() throws Exception {
        Files.writeString(data.resolve(LeaderInfo.FILE_NAME), "host:1\nepoch=x\nsince=1\nheartbeat=1\n");
        assertThatThrownBy(() -> LeaderInfo.read(data)).isInstanceOf(IOException.class);
        Files.writeString(data.resolve(LeaderInfo.FILE_NAME), "host:1\n");
        assertThatThrownBy(() -> LeaderInfo.read(data)).isInstanceOf(IOException.class);
    }
}
