package io.artsore.e2e.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadConfigTest {

    @Test
    void defaultsAreAFourClientTenSecondUploadOfFourKiB() {
        LoadConfig c = LoadConfig.parse("--url", "https://se:8010");
        assertThat(c.target()).isEqualTo(LoadConfig.TargetKind.SE);
        assertThat(c.mix().weights()).containsOnlyKeys(OpType.UPLOAD);
        assertThat(c.clients()).isEqualTo(4);
        assertThat(c.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.ops()).isZero();
        assertThat(c.size()).isEqualTo(new SizeSpec(4096, 4096));
        assertThat(c.prepare()).isEqualTo(16);
        assertThat(c.insecure()).isFalse();
    }

    @Test
    void opsWithoutDurationRunUntilTheCountIsDone() {
        LoadConfig c = LoadConfig.parse("--url", "u", "--ops", "500", "--insecure", "--clients", "32");
        assertThat(c.ops()).isEqualTo(500);
        assertThat(c.duration()).isNull();
        assertThat(c.insecure()).isTrue();
        assertThat(c.prepare()).isEqualTo(128);
    }

    @Test
    void mixImpliesTheMixedWorkload() {
        LoadConfig c = LoadConfig.parse("--url", "u", "--mix", "upload=1,download=3,list=0");
        assertThat(c.mix().weights()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(OpType.UPLOAD, 1, OpType.DOWNLOAD, 3));
    }

    @Test
    void rejectsWhatCannotRun() {
        assertThatThrownBy(() -> LoadConfig.parse("--ops", "1")).hasMessageContaining("--url");
        assertThatThrownBy(() -> LoadConfig.parse("--url", "u", "--target", "webdav", "--workload", "list"))
                .hasMessageContaining("webdav");
        assertThatThrownBy(() -> LoadConfig.parse("--url", "u", "--clients", "0")).hasMessageContaining("clients");
        assertThatThrownBy(() -> LoadConfig.parse("--url", "u", "--bogus", "1")).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> LoadConfig.parse("--url", "u", "--token", "t", "--jwks-mock", "m")).hasMessageContaining("not both");
        assertThatThrownBy(() -> LoadConfig.parse("--url", "u", "--duration", "0s")).hasMessageContaining("positive");
        assertThatThrownBy(() -> LoadConfig.parse("--url", "u", "--workload", "upload", "--mix", "upload=1"))
                .hasMessageContaining("mixed");
    }

    @Test
    void durationsAndSizesParse() {
        assertThat(LoadConfig.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadConfig.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SizeSpec.parseBytes("256m")).isEqualTo(256L << 20);
        assertThat(SizeSpec.parseBytes("1g")).isEqualTo(1L << 30);
        assertThat(SizeSpec.parseBytes("123")).isEqualTo(123);
        assertThatThrownBy(() -> SizeSpec.parse("4x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SizeSpec.parse("64k-1k")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uniformSizesStayInTheirRangeAndVary() {
        SizeSpec spec = SizeSpec.parse("1k-64k");
        SplittableRandom random = new SplittableRandom(1);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long s = spec.next(random);
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        assertThat(min).isGreaterThanOrEqualTo(1024).isLessThan(4096);
        assertThat(max).isLessThanOrEqualTo(65536).isGreaterThan(60_000);
    }

    @Test
    void mixPicksFollowTheWeights() {
        OpMix mix = OpMix.parse("upload=1,download=3");
        SplittableRandom random = new SplittableRandom(7);
        int downloads = 0;
        for (int i = 0; i < 40_000; i++) {
            if (mix.pick(random) == OpType.DOWNLOAD) {
                downloads++;
            }
        }
        assertThat(downloads).isBetween(29_000, 31_000);
        assertThatThrownBy(() -> OpMix.parse("upload=0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> OpMix.parse("fly=1")).hasMessageContaining("unknown operation");
    }
}
