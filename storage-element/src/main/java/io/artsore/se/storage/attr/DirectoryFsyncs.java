package io.artsore.se.storage.attr;

import io.artsore.se.storage.CrashPoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Directory fsyncs shared between concurrent callers (group commit for renames and unlinks). A caller of
 * {@link #sync(Path)} changed the directory before calling, so it needs a force of the directory that
 * <em>started after</em> the call; a force already running when it arrives may have missed its change. Per
 * directory at most one force runs; callers arriving meanwhile wait, and when it ends one of them (the leader)
 * runs the next force for all of them. Under load a directory is forced once per round instead of once per
 * caller, and nobody returns before a force that covers its change completed successfully.
 *
 * <p>Crash points (hit only by a leader whose force is shared with waiting callers, i.e. inside a group):
 * {@code dirfsync.shared-forcing} before the force, {@code dirfsync.shared-forced} after it but before the
 * waiting callers are released.
 */
public final class DirectoryFsyncs {
    /** The actual force of one directory. */
    @FunctionalInterface
    public interface Force {
        void force(Path dir) throws IOException;
    }

    private final Force force;
    /** One entry per directory ever synced: the shard dirs, the WAL dir and a few others, so it stays small. */
    private final ConcurrentHashMap<Path, Rounds> directories = new ConcurrentHashMap<>();

    public DirectoryFsyncs(Force force) {
        this.force = force;
    }

    /** Returns once a force of {@code dir} that started after this call began has completed. */
    public void sync(Path dir) throws IOException {
        directories.computeIfAbsent(dir.toAbsolutePath().normalize(), Rounds::new).sync();
    }

    /** Force rounds of one directory, numbered from 1; at most one runs at a time. */
    private final class Rounds {
        private final Path dir;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition roundEnded = lock.newCondition();
        private long started;
        private long ended;
        private boolean running;
        private int waiting;
        private long lastFailed;
        private Throwable lastFailure;

        Rounds(Path dir) {
            this.dir = dir;
        }

        void sync() throws IOException {
            lock.lock();
            try {
                // the round running now (number `started`) may have begun before the caller's change
                long needed = started + 1;
                while (ended < needed) {
                    if (running) {
                        waiting++;
                        roundEnded.awaitUninterruptibly();
                        waiting--;
                    } else {
                        lead(); // runs round `needed`: nothing else can have started since
                    }
                }
                if (lastFailed >= needed) {
                    // conservative: a failed round at or after ours may have lost our change
                    throw new IOException("fsync of directory failed", lastFailure);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Runs one round with the lock released during the force; called and returns with the lock held. */
        private void lead() {
            running = true;
            long round = ++started;
            boolean shared = waiting > 0;
            Throwable failure = null;
            lock.unlock();
            try {
                if (shared) {
                    CrashPoints.hit("dirfsync.shared-forcing");
                }
                force.force(dir);
                if (shared) {
                    CrashPoints.hit("dirfsync.shared-forced");
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            } finally {
                lock.lock();
                running = false;
                ended = round;
                if (failure != null) {
                    lastFailed = round;
                    lastFailure = failure;
                }
                roundEnded.signalAll();
            }
        }
    }
}
