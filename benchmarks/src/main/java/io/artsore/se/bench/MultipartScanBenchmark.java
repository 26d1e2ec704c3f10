package io.artsore.se.bench;

import io.artsore.se.api.multipart.MultipartReader;
import io.artsore.se.api.multipart.Part;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The upload's multipart scanning ({@link MultipartReader}): a body with a description and one file part of
 * {@code fileBytes} random bytes, read the way UploadApi reads it (64 KiB reads of the file part). Result:
 * bodies per second; multiply by the size for bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MultipartScanBenchmark {
    private static final String BOUNDARY = "----loadgen7MA4YWxkTrZu0gW";

    @Param({"4096", "8388608"})
    public int fileBytes;

    private byte[] body;
    private final byte[] buffer = new byte[64 * 1024];

    @Setup
    public void setUp() throws IOException {
        byte[] content = new byte[fileBytes];
        new Random(42).nextBytes(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream(fileBytes + 512);
        out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nbench\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(content);
        out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        body = out.toByteArray();
    }

    @Benchmark
    public long scanBody() throws IOException {
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), BOUNDARY,
                MultipartReader.Limits.DEFAULT);
        long fileBytesSeen = 0;
        for (Optional<Part> next = reader.next(); next.isPresent(); next = reader.next()) {
            Part part = next.get();
            if ("file".equals(part.name())) {
                InputStream in = part.body();
                for (int n; (n = in.read(buffer)) != -1; ) {
                    fileBytesSeen += n;
                }
            } else {
                fileBytesSeen += part.readText(1024).length();
            }
        }
        return fileBytesSeen;
    }
}
