package io.artsore.se.service;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.SeException;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Child process of {@link CrashSafetyTest}: opens an engine on a data root and runs writes, announcing each
 * on stdout ({@code BEGIN op id arg} before it starts, {@code ACK op id arg} after it returned, flushed) so
 * the parent knows exactly what was acknowledged when the process dies.
 *
 * <p>Args: {@code root seed maxOps threads}. With several threads each thread only touches files whose id
 * hashes to it, so at most one write per file is ever in flight.
 */
public final class CrashChild {
    private static final PrintStream OUT = System.out;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int maxOps = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        try (StorageEngine e = StorageEngine.open(CrashSafetyTest.config(root), Clock.systemUTC())) {
            say("READY");
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                workers.add(Thread.ofPlatform().start(() -> work(e, new Random(seed * 31 + me), maxOps, me, threads)));
            }
            for (Thread w : workers) {
                w.join();
            }
        }
        say("DONE");
    }

    private static void work(StorageEngine e, Random rnd, int maxOps, int me, int threads) {
        try {
            for (int i = 0; i < maxOps; i++) {
                // a fixed cycle first, so every kind of write (and so every crash point) is reached early
                int kind = i < 5 ? new int[] {0, 0, 1, 2, 3}[i] : rnd.nextInt(8) < 4 ? 0 : rnd.nextInt(3) + 1;
                switch (kind) {
                    case 0 -> upload(e, rnd);
                    case 1 -> pick(e, rnd, me, threads, FileStatus.ACTIVE).ifPresent(id -> update(e, rnd, id));
                    case 2 -> pick(e, rnd, me, threads, FileStatus.ACTIVE).ifPresent(id -> delete(e, id));
                    default -> pick(e, rnd, me, threads, FileStatus.DELETED).ifPresent(id -> purge(e, id));
                }
            }
        } catch (Exception ex) {
            ex.printStackTrace();
            Runtime.getRuntime().halt(3);
        }
    }

    private static java.util.Optional<UUID> pick(StorageEngine e, Random rnd, int me, int threads, FileStatus s) {
        List<FileMetadata> candidates = DiskTruth.indexedFiles(e).stream().filter(m -> m.status() == s)
                .filter(m -> Math.floorMod(m.fileId().hashCode(), threads) == me).toList();
        return candidates.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(candidates.get(rnd.nextInt(candidates.size())).fileId());
    }

    private static void upload(StorageEngine e, Random rnd) throws Exception {
        // mostly small; sometimes several buffers long so crashes land mid-stream
        byte[] data = new byte[1 + (rnd.nextInt(8) == 0 ? rnd.nextInt(300_000) : rnd.nextInt(3000))];
        rnd.nextBytes(data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        try (PendingUpload u = e.beginUpload("crash-child", data.length)) {
            say("BEGIN upload " + u.fileId() + " " + sha);
            u.writeContent("f" + rnd.nextInt(100) + ".bin", "application/x-test", new ByteArrayInputStream(data));
            FileMetadata m = u.commit("c", null, null);
            say("ACK upload " + m.fileId() + " " + m.checksum());
        }
    }

    private static void update(StorageEngine e, Random rnd, UUID id) {
        String desc = "d" + Integer.toHexString(rnd.nextInt());
        say("BEGIN update " + id + " " + desc);
        run(() -> e.updateMetadata(id, desc, null), "update " + id + " " + desc);
    }

    private static void delete(StorageEngine e, UUID id) {
        say("BEGIN delete " + id + " -");
        run(() -> e.softDelete(id), "delete " + id + " -");
    }

    private static void purge(StorageEngine e, UUID id) {
        say("BEGIN purge " + id + " -");
        run(() -> e.purge(id), "purge " + id + " -");
    }

    private interface Op {
        void run() throws Exception;
    }

    private static void run(Op op, String what) {
        try {
            op.run();
            say("ACK " + what);
        } catch (SeException ex) {
            if (ex.code() != ErrorCode.NOT_FOUND) {
                throw ex;
            }
            say("NOTFOUND " + what); // cannot happen with one writer per file; the parent fails on it
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void say(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }
}
