package io.artsore.se.service;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.index.IndexStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** Independent recount of what is on disk, to compare against the engine's index. */
public final class DiskTruth {
    public final Map<UUID, FileMetadata> files = new HashMap<>();
    public final List<Path> tempFiles = new ArrayList<>();
    public final List<Path> otherFiles = new ArrayList<>();

    public static DiskTruth scan(Path dataDir) throws IOException {
        DiskTruth t = new DiskTruth();
        List<Path> all;
        try (Stream<Path> s = Files.walk(dataDir)) {
            all = s.filter(Files::isRegularFile).filter(p -> !inInternalDir(dataDir, p)).toList();
        }
        for (Path p : all) {
            String name = p.getFileName().toString();
            if (AtomicFiles.isTempName(name) || name.endsWith(".tmp")) {
                t.tempFiles.add(p);
            } else if (name.endsWith(AttrCodec.SUFFIX)) {
                FileMetadata m = AttrCodec.read(p, dataDir);
                if (t.files.put(m.fileId(), m) != null) {
                    throw new AssertionError("two sidecars for " + m.fileId());
                }
            }
        }
        for (Path p : all) {
            String name = p.getFileName().toString();
            if (!AtomicFiles.isTempName(name) && !name.endsWith(".tmp") && !name.endsWith(AttrCodec.SUFFIX)
                    && !name.equals("mode.json")) {
                String rel = dataDir.relativize(p).toString().replace('\\', '/');
                if (t.files.values().stream().noneMatch(m -> m.storagePath().equals(rel))) {
                    t.otherFiles.add(p);
                }
            }
        }
        return t;
    }

    /** Below a dot directory of the data dir (list tombstones, journal): the element's bookkeeping, not files. */
    private static boolean inInternalDir(Path dataDir, Path file) {
        Path rel = dataDir.relativize(file);
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            if (rel.getName(i).toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The files {@code e} serves, in list order: its listing without the tombstones of purged files. */
    public static List<FileMetadata> indexedFiles(StorageEngine e) {
        List<FileMetadata> files = new ArrayList<>();
        e.forEachFile(files::add);
        return files;
    }

    public IndexStats stats() {
        long active = 0;
        long expired = 0;
        long deleted = 0;
        long used = 0;
        for (FileMetadata m : files.values()) {
            switch (m.status()) {
                case ACTIVE -> active++;
                case EXPIRED -> expired++;
                case DELETED -> deleted++;
            }
            used += m.size();
        }
        return new IndexStats(active, expired, deleted, used);
    }

    /** Hex SHA-256 of a file's content. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isActive(FileMetadata m) {
        return m.status() == FileStatus.ACTIVE;
    }
}
