package io.artsore.se.storage.wal;

import io.artsore.se.storage.attr.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@value #DIR_NAME} folder inside the WAL dir: where recovery moves records it cannot read, so the element
 * still starts (security review L6). Nothing reads them back; they wait there for an operator, and while any is
 * there readiness is {@code degraded}. The folder is never scanned as part of the WAL.
 */
public final class WalQuarantine {
    public static final String DIR_NAME = "quarantine";

    private final Path dir;

    private WalQuarantine(Path walDir) {
        this.dir = walDir.resolve(DIR_NAME);
    }

    public static WalQuarantine in(Path walDir) {
        return new WalQuarantine(walDir);
    }

    /** Moves {@code record} into the folder durably: after a crash it is either still in the WAL or here. */
    void isolate(Path record) throws IOException {
        AtomicFiles.createDirectoriesDurably(dir);
        Files.move(record, dir.resolve(record.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.fsyncDirectory(dir, "wal-quarantine");
        AtomicFiles.fsyncDirectory(record.toAbsolutePath().getParent(), "wal-quarantine");
    }

    /** How many records wait in the folder (0 when it does not exist): one directory read, no file opened. */
    public long count() throws IOException {
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path ignored : ds) {
                n++;
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return n;
    }

    public Path directory() {
        return dir;
    }
}
