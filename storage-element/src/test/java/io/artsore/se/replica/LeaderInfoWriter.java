package io.artsore.se.replica;

import java.nio.file.Path;

/**
 * A second process for {@link LeaderInfoConcurrentWritersTest}: rewrites {@code .leader.info} in a loop for the
 * given milliseconds and exits with the number of writes that failed (0 = all landed).
 */
public final class LeaderInfoWriter {
    private LeaderInfoWriter() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        LeaderInfo mine = new LeaderInfo(args[1], Long.parseLong(args[2]), 1, 1);
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000;
        int failures = 0;
        while (System.nanoTime() < deadline) {
            try {
                mine.write(dataDir);
            } catch (Exception e) {
                failures++;
            }
        }
        System.exit(Math.min(failures, 100));
    }
}
