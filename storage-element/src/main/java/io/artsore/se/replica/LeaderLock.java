package io.artsore.se.replica;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock on {@code {data}/.leader.lock} that makes one replica the leader. {@link FileChannel#tryLock()}
 * takes a POSIX record lock (an NFS lock on NFSv4). POSIX locks belong to the process and vanish when any
 * channel of the file is closed, so the channel is opened exactly once and only closed at shutdown.
 *
 * <p>Test hook: when the system property {@value #FAIL_FILE_PROPERTY} names a file and that file exists, the
 * lock behaves as if lost (NFS lease expiry): {@link #check()} fails and {@link #tryAcquire()} does not take it.
 */
final class LeaderLock implements AutoCloseable {
    static final String FILE_NAME = ".leader.lock";
    static final String FAIL_FILE_PROPERTY = "se.replica.lockCheckFailsIfExists";

    private final FileChannel channel;
    private final Path failTrigger;
    private volatile boolean brokenForTest;
    private FileLock lock;

    LeaderLock(Path dataDir) throws IOException {
        this.channel = FileChannel.open(dataDir.resolve(FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        String trigger = System.getProperty(FAIL_FILE_PROPERTY);
        this.failTrigger = trigger == null || trigger.isBlank() ? null : Path.of(trigger);
    }

    /** True when this process holds the lock afterwards. Never blocks. */
    synchronized boolean tryAcquire() throws IOException {
        if (lock != null && lock.isValid()) {
            return true;
        }
        if (simulatedLoss()) {
            return false;
        }
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // another channel of this JVM holds it (only in single-JVM tests)
        }
        return lock != null;
    }

    /**
     * Re-validates the lock: still valid, and the lock file still answers I/O (on NFS a lost lease shows up as
     * I/O errors). Throws on any doubt.
     */
    synchronized void check() throws IOException {
        if (lock == null || !lock.isValid() || !channel.isOpen()) {
            throw new IOException("leader lock is not held");
        }
        if (simulatedLoss()) {
            throw new IOException("leader lock check failed (test hook)");
        }
        channel.size();
    }

    /** Gives the lock up for another replica to take; the channel stays open. */
    synchronized void release() {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException e) {
                // the lock is gone with the channel's state either way; nothing left to undo
            }
            lock = null;
        }
    }

    /** For in-process tests: make the lock check fail from now on. */
    void breakForTest() {
        brokenForTest = true;
    }

    private boolean simulatedLoss() {
        return brokenForTest || failTrigger != null && Files.exists(failTrigger);
    }

    @Override
    public synchronized void close() throws IOException {
        release();
        channel.close();
    }
}
