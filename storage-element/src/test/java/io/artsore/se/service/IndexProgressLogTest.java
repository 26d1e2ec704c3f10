package io.artsore.se.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.storage.index.BuildProgress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexProgressLogTest {
    @Test
    void rateAndTimeLeftFollowFromTheShareDone() {
        BuildProgress.Snapshot quarter = new BuildProgress.Snapshot(BuildProgress.Phase.FULL_BUILD, 50_000, 0, 25);

        assertThat(List.of(IndexProgressLog.fields("startup", quarter, Duration.ofSeconds(10)))).containsExactly(
                "purpose", "startup", "phase", "reading every sidecar", "files_read", 50_000L,
                "entries_from_checkpoint", 0L, "files_per_second", 5_000L, "percent", 25, "eta_seconds", 30L);
    }

    @Test
    void withoutAnEstimateThereIsNoPercentNorTimeLeft() {
        BuildProgress.Snapshot unknown = new BuildProgress.Snapshot(BuildProgress.Phase.RESCAN, 10, 900, -1);

        assertThat(List.of(IndexProgressLog.fields("startup", unknown, Duration.ofSeconds(5))))
                .doesNotContain("percent", "eta_seconds").contains("files_per_second", 2L);
    }
}
