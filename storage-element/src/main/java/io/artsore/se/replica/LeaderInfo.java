package io.artsore.se.replica;

import io.artsore.se.storage.attr.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The content of {@code {data}/.leader.info}: the leader's {@code host:port} on the first line (so tools that
 * expect just an address still work), then {@code epoch=}, {@code since=} (epoch millis when it took the lock)
 * and {@code heartbeat=} (epoch millis of its last heartbeat). Written atomically (temp + fsync + rename).
 */
record LeaderInfo(String address, long epoch, long sinceMillis, long heartbeatMillis) {
    static final String FILE_NAME = ".leader.info";

    LeaderInfo withHeartbeat(long millis) {
        return new LeaderInfo(address, epoch, sinceMillis, millis);
    }

    String encode() {
        return address + "\nepoch=" + epoch + "\nsince=" + sinceMillis + "\nheartbeat=" + heartbeatMillis + "\n";
    }

    /** Empty when there is no file yet; an unparsable file is an {@link IOException} (a doubt, never epoch 0). */
    static Optional<LeaderInfo> read(Path dataDir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.size() < 4) {
            throw new IOException(FILE_NAME + " is incomplete");
        }
        try {
            return Optional.of(new LeaderInfo(lines.get(0).trim(), field(lines.get(1), "epoch"),
                    field(lines.get(2), "since"), field(lines.get(3), "heartbeat")));
        } catch (NumberFormatException e) {
            throw new IOException(FILE_NAME + " is corrupt", e);
        }
    }

    void write(Path dataDir) throws IOException {
        AtomicFiles.write(dataDir.resolve(FILE_NAME), encode().getBytes(StandardCharsets.UTF_8),
                AtomicFiles.processTempTag("leader-info"), null);
    }

    private static long field(String line, String name) throws IOException {
        if (!line.startsWith(name + "=")) {
            throw new IOException(FILE_NAME + ": expected " + name);
        }
        return Long.parseLong(line.substring(name.length() + 1).trim());
    }
}
