package io.artsore.se.api;

import io.artsore.se.api.auth.JwksHealth;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.Operation;
import io.artsore.se.replica.ReplicaStatus;
import io.artsore.se.storage.filestore.DiskSpace;
import io.artsore.se.storage.wal.WalQuarantine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Readiness checks (docs/contract.md §10). No probe files are written: the data volume may be read-only in ro/ar,
 * and a write per probe would be needless I/O. A WAL dir that cannot take writes while the mode allows
 * writes means every upload fails, so it is {@code fail}, not {@code degraded}.
 *
 * <p>A WAL volume that is merely full (less than {@link #MIN_WAL_FREE_BYTES} free, read from the file store,
 * nothing written) is {@code degraded} with the message "WAL volume full": uploads answer 507 until space is
 * freed, like a full data volume, but downloads and listings still work, and {@code fail} would take the
 * element out of its Service and stop those too. WAL records that startup recovery could not read and moved
 * to the {@link WalQuarantine} are {@code degraded} too, until an operator removes them (security review L6).
 *
 * <p>The endpoint is public, so messages name no addresses or counts (security review L9). {@code /api/v1/info}
 * is public too and derives its status from readiness on every call: it takes {@link #recent()}, so a burst of
 * anonymous calls costs one handful of stat calls on an NFS volume per second, not per request.
 */
public final class Readiness {
    /** Room for a few WAL records (each one small file, a filesystem block or two). */
    static final long MIN_WAL_FREE_BYTES = 64 * 1024;
    static final long REUSE_MILLIS = 1000;

    public record Check(String status, String message) {
        public static Check ok(String message) {
            return new Check("ok", message);
        }
    }

    public record Result(String status, Map<String, Check> checks) {
    }

    private final Path dataDir;
    private final Path walDir;
    private final Supplier<Mode> mode;
    private final ReplicaStatus replica;
    private final Supplier<JwksHealth> jwks;
    private final DiskSpace diskSpace;
    private final Supplier<Optional<Check>> tls;
    private final Clock clock;
    private volatile Result last;
    private volatile long lastAtMillis;

    /** {@code tls}: the served certificate's state, empty when the element serves plain HTTP. */
    public Readiness(Path dataDir, Path walDir, Supplier<Mode> mode, ReplicaStatus replica,
                     Supplier<JwksHealth> jwks, DiskSpace diskSpace, Supplier<Optional<Check>> tls, Clock clock) {
        this.dataDir = dataDir;
        this.walDir = walDir;
        this.mode = mode;
        this.replica = replica;
        this.jwks = jwks;
        this.diskSpace = diskSpace;
        this.tls = tls;
        this.clock = clock;
    }

    /** Evaluates every check now (the readiness probe). */
    public Result evaluate() {
        Result fresh = evaluateNow();
        lastAtMillis = clock.millis();
        last = fresh;
        return fresh;
    }

    /** The last result if it is younger than {@link #REUSE_MILLIS}, else a new one (for {@code /api/v1/info}). */
    public Result recent() {
        long age = clock.millis() - lastAtMillis;
        Result reusable = last;
        return reusable != null && age >= 0 && age < REUSE_MILLIS ? reusable : evaluate();
    }

    private Result evaluateNow() {
        boolean writes = writesAllowed(mode.get());
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("filesystem", directory(dataDir, "data dir", writes));
        checks.put("wal", wal(writes));
        checks.put("index", Check.ok("index built"));
        checks.put("auth", keys());
        tls.get().ifPresent(c -> checks.put("tls", c));
        if (!"standalone".equals(replica.replicaMode())) {
            checks.put("leader", replica.leaderAddress()
                    .map(a -> Check.ok("leader known; this replica is " + replica.role()))
                    .orElse(new Check("degraded", "no leader known: writes are refused until one is elected")));
        }
        String overall = checks.values().stream().map(Check::status)
                .reduce("ok", (a, b) -> rank(b) > rank(a) ? b : a);
        return new Result(overall, checks);
    }

    private static boolean writesAllowed(Mode m) {
        return m.allows(Operation.UPLOAD) || m.allows(Operation.UPDATE) || m.allows(Operation.DELETE);
    }

    private Check wal(boolean writes) {
        Check dir = directory(walDir, "WAL dir", writes);
        if (!dir.status().equals("ok")) {
            return dir;
        }
        if (writes) {
            try {
                if (diskSpace.usableBytes(walDir) < MIN_WAL_FREE_BYTES) {
                    return new Check("degraded", "WAL volume full: uploads are refused (507) until space is freed");
                }
            } catch (IOException e) {
                return new Check("fail", "WAL volume unreadable");
            }
        }
        return hasQuarantinedRecords() ? new Check("degraded", "unreadable WAL records were moved to the "
                + WalQuarantine.DIR_NAME + " folder of the WAL dir: inspect and remove them") : dir;
    }

    /** The element serves, but some interrupted write could not be settled; an operator has to look. */
    private boolean hasQuarantinedRecords() {
        try {
            return WalQuarantine.in(walDir).count() > 0;
        } catch (IOException e) {
            return true; // the folder exists but cannot be read: something is in it
        }
    }

    private static Check directory(Path dir, String what, boolean needWrites) {
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            return new Check("fail", what + " is missing or unreadable");
        }
        if (!Files.isWritable(dir)) {
            return needWrites ? new Check("fail", what + " is not writable") :
                    new Check("ok", what + " is read-only (fine in this mode)");
        }
        return Check.ok(what + " usable");
    }

    private Check keys() {
        JwksHealth h = jwks.get();
        if (h.keyCount() == 0) {
            return new Check("degraded", "no signing keys loaded from the JWKS: every token is refused");
        }
        return h.healthy() ? Check.ok("signing keys loaded")
                : new Check("degraded", "JWKS refresh failing; using the cached keys");
    }

    private static int rank(String status) {
        return switch (status) {
            case "fail" -> 2;
            case "degraded" -> 1;
            default -> 0;
        };
    }
}
