package io.artsore.se.api;

import io.artsore.se.api.auth.JwksHealth;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.Operation;
import io.artsore.se.replica.ReplicaStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Readiness checks (contract §10). No probe files are written: the data volume may be read-only in ro/ar,
 * and a write per probe would be needless I/O. A WAL dir that cannot take writes while the mode allows
 * writes means every upload fails, so it is {@code fail}, not {@code degraded}.
 */
public final class Readiness {
    public record Check(String status, String message) {
        static Check ok(String message) {
            return new Check("ok", message);
        }
    }

    public record Result(String status, Map<String, Check> checks) {
    }

    private final Path dataDir;
    private final Path walDir;
    private final Supplier<Mode> mode;
    private final Supplier<Integer> indexedFiles;
    private final ReplicaStatus replica;
    private final Supplier<JwksHealth> jwks;

    public Readiness(Path dataDir, Path walDir, Supplier<Mode> mode, Supplier<Integer> indexedFiles,
                     ReplicaStatus replica, Supplier<JwksHealth> jwks) {
        this.dataDir = dataDir;
        this.walDir = walDir;
        this.mode = mode;
        this.indexedFiles = indexedFiles;
        this.replica = replica;
        this.jwks = jwks;
    }

    public Result evaluate() {
        boolean writes = writesAllowed(mode.get());
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("filesystem", directory(dataDir, "data dir", writes));
        checks.put("wal", directory(walDir, "WAL dir", writes));
        checks.put("index", Check.ok(indexedFiles.get() + " files indexed"));
        checks.put("auth", keys());
        if (!"standalone".equals(replica.replicaMode())) {
            checks.put("leader", replica.leaderAddress()
                    .map(a -> Check.ok("role " + replica.role() + ", leader " + a))
                    .orElse(new Check("degraded", "no leader known: writes are refused until one is elected")));
        }
        String overall = checks.values().stream().map(Check::status)
                .reduce("ok", (a, b) -> rank(b) > rank(a) ? b : a);
        return new Result(overall, checks);
    }

    private static boolean writesAllowed(Mode m) {
        return m.allows(Operation.UPLOAD) || m.allows(Operation.UPDATE) || m.allows(Operation.DELETE);
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
        return h.healthy() ? Check.ok(h.keyCount() + " signing keys")
                : new Check("degraded", "JWKS refresh failing; using " + h.keyCount() + " cached keys");
    }

    private static int rank(String status) {
        return switch (status) {
            case "fail" -> 2;
            case "degraded" -> 1;
            default -> 0;
        };
    }
}
