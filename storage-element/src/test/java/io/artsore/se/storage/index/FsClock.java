package io.artsore.se.storage.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Filesystems stamp times from a coarse clock (one tick is a few milliseconds on Linux): a change made in the
 * same tick as an earlier one gets the same time. Tests that need "later" to show wait for the next tick.
 */
public final class FsClock {
    private static final long MAX_WAIT_NANOS = 10_000_000_000L;

    private FsClock() {
    }

    /** Returns once a change made now gets a later time than every change made before this call (in {@code dir}'s filesystem). */
    public static void awaitTick(Path dir) throws IOException {
        Path probe = dir.resolve(".fs-clock-probe");
        FileTime before = touch(probe);
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        while (touch(probe).compareTo(before) <= 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the filesystem clock did not move");
            }
            Thread.onSpinWait();
        }
        Files.delete(probe);
    }

    private static FileTime touch(Path probe) throws IOException {
        Files.deleteIfExists(probe);
        Files.createFile(probe);
        return (FileTime) Files.getAttribute(probe, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
    }
}
