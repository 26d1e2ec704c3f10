package io.artsore.e2e.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadInputStreamTest {

    @Test
    void yieldsExactlyTheRequestedLengthAcrossBlockWraps() throws IOException {
        long length = (3L << 20) + 17; // larger than the 1 MiB block, so it wraps around
        try (InputStream in = new PayloadInputStream(length, new SplittableRandom(3))) {
            assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(length);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void singleByteReadsEndAtTheLength() throws IOException {
        try (InputStream in = new PayloadInputStream(3, new SplittableRandom(3))) {
            assertThat(in.read()).isBetween(0, 255);
            assertThat(in.read()).isBetween(0, 255);
            assertThat(in.read()).isBetween(0, 255);
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
