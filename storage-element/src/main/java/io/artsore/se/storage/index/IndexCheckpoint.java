package io.artsore.se.storage.index;

import io.artsore.se.storage.attr.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * A saved copy of the index, grouped by the directory of each file's sidecar, with each directory's
 * {@link DirMarker} as it was <em>before</em> the entries were copied. At start {@link IndexBuilder} takes the
 * entries of every directory whose marker is unchanged and re-reads only the others, so a restart does not
 * parse every attr.json again.
 *
 * <p>What makes a directory's entries trustworthy: (1) the markers are read before the entries are copied, and
 * the copy runs while no write is between its rename on disk and its index update ({@link Quiet}), so every
 * change the markers already show is in the copy; a change after the markers moves the marker. (2) A directory
 * whose mtime or ctime lies within {@code settle} of the start of the capture is saved without entries (always
 * re-read): a change in the same timestamp tick as the marker, or stamped by an NFS server whose clock runs a
 * little behind, would otherwise not move it. (3) Directories the caller names (sidecars that could not be read)
 * are saved without entries.
 *
 * <p>The file: magic, format version, storage id, data dir, capture time, the directories (path, marker, entry
 * count, trusted), the entries of the trusted ones in list order each with its directory's number (so a restore
 * is already sorted), then a CRC32C of everything before it. A file of another format, storage id or
 * data dir, a bad checksum or a truncation is {@link Rejected} and the index is built in full.
 */
public final class IndexCheckpoint {
    public static final String FILE_NAME = "index.checkpoint";
    static final long MAGIC = 0x4152_5453_4958_4350L; // "ARTSIXCP"
    static final int FORMAT_VERSION = 2;
    private static final int BUFFER = 1 << 16;
    private static final int READ_BUFFER = 1 << 20;

    /** Whose index it is: a checkpoint of another storage id or data dir is never used. */
    public record Identity(String storageId, Path dataDir) {
        public Identity {
            dataDir = dataDir.toAbsolutePath().normalize();
        }
    }

    /** One directory as captured; its entries are saved only when it is {@code trusted}. */
    record Dir(String path, DirMarker marker, int entryCount, boolean trusted) {
    }

    /** A checkpoint read back: its directories, and the saved entries in list order with their directory's index. */
    record Saved(List<Dir> dirs, CompactEntry[] entries, int[] dirOf) {
    }

    /**
     * Runs {@code copy} while no write is between its change on disk and its index update (and, for a replica,
     * while this process may write at all).
     */
    @FunctionalInterface
    public interface Quiet {
        void run(Runnable copy) throws IOException;
    }

    /** Why a checkpoint file was not used. */
    public static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Identity identity;
    private final Instant startedAt;
    private final List<Dir> dirs;
    /** The live entries in list order, and the index in {@code dirs} of each one's directory (-1: not saved). */
    private final CompactEntry[] entries;
    private final int[] dirOf;

    private IndexCheckpoint(Identity identity, Instant startedAt, List<Dir> dirs, CompactEntry[] entries,
                            int[] dirOf) {
        this.identity = identity;
        this.startedAt = startedAt;
        this.dirs = dirs;
        this.entries = entries;
        this.dirOf = dirOf;
    }

    /**
     * Captures {@code index}: markers of every directory a full build would read, then (inside {@code quiet}) the
     * entries. {@code startedAt} is read before anything else; {@code untrustedDirs} are data-dir-relative paths
     * ("" is the data dir itself).
     */
    public static IndexCheckpoint capture(Identity identity, Instant startedAt, Duration settle,
                                          Supplier<FileIndex> index, Quiet quiet, Set<String> untrustedDirs)
            throws IOException {
        Map<String, DirMarker> markers = survey(identity.dataDir());
        CompactEntry[][] copied = new CompactEntry[1][];
        quiet.run(() -> copied[0] = index.get().liveEntries());
        CompactEntry[] entries = copied[0];
        Map<String, Integer> numbers = new HashMap<>();
        for (String path : markers.keySet()) {
            numbers.put(path, numbers.size());
        }
        int[] dirOf = new int[entries.length];
        int[] counts = new int[markers.size()];
        for (int i = 0; i < entries.length; i++) {
            String path = entries[i].storagePath();
            Integer dir = path == null ? null : numbers.get(IndexBuilder.directoryOf(path));
            dirOf[i] = dir == null ? -1 : dir; // not below a surveyed directory: a full build would not find it
            if (dir != null) {
                counts[dir]++;
            }
        }
        Instant unsettled = startedAt.minus(settle);
        List<Dir> dirs = new ArrayList<>(markers.size());
        for (Map.Entry<String, DirMarker> m : markers.entrySet()) {
            boolean trusted = !m.getValue().changedSince(unsettled) && !untrustedDirs.contains(m.getKey());
            dirs.add(new Dir(m.getKey(), m.getValue(), counts[numbers.get(m.getKey())], trusted));
        }
        return new IndexCheckpoint(identity, startedAt, dirs, entries, dirOf);
    }

    /** Directories below {@code dataDir} (itself included) in the order a full build would find them. */
    static Map<String, DirMarker> survey(Path dataDir) throws IOException {
        Map<String, DirMarker> markers = new LinkedHashMap<>();
        surveyDir(dataDir, "", markers);
        if (markers.isEmpty()) {
            throw new IOException("data dir is not a directory");
        }
        return markers;
    }

    private static void surveyDir(Path dir, String path, Map<String, DirMarker> markers) throws IOException {
        DirMarker marker = DirMarker.of(dir);
        if (marker == null) {
            return; // removed meanwhile: its parent's marker moved
        }
        markers.put(path, marker);
        if (marker.hasNoSubdirectories()) {
            return; // a shard of data files: not listed, which is most of the saving
        }
        List<String> children = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path child : list) {
                String name = child.getFileName().toString();
                if (!IndexBuilder.isSkipped(name) && !name.endsWith(IndexBuilder.ATTR_SUFFIX)
                        && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    children.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            markers.remove(path);
            return;
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        for (String name : children) {
            surveyDir(dir.resolve(name), path.isEmpty() ? name : path + "/" + name, markers);
        }
    }

    public int directories() {
        return dirs.size();
    }

    public int trustedDirectories() {
        return (int) dirs.stream().filter(Dir::trusted).count();
    }

    public long entries() {
        return dirs.stream().filter(Dir::trusted).mapToLong(Dir::entryCount).sum();
    }

    /** Writes the checkpoint atomically (temp, fsync, rename, directory fsync) to {@code file}. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, raw -> {
            CRC32C crc = new CRC32C();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc),
                    BUFFER));
            out.writeLong(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(identity.storageId());
            out.writeUTF(identity.dataDir().toString());
            out.writeLong(startedAt.getEpochSecond());
            out.writeInt(startedAt.getNano());
            out.writeInt(dirs.size());
            SharedStrings strings = new SharedStrings(new Interner());
            for (Dir d : dirs) {
                out.writeUTF(d.path());
                DirMarker m = d.marker();
                out.writeLong(m.inode());
                out.writeLong(m.mtimeSecond());
                out.writeInt(m.mtimeNano());
                out.writeLong(m.ctimeSecond());
                out.writeInt(m.ctimeNano());
                out.writeInt(m.links());
                out.writeInt(d.entryCount());
                out.writeBoolean(d.trusted());
            }
            out.writeLong(entries());
            for (int i = 0; i < entries.length; i++) {
                if (dirOf[i] >= 0 && dirs.get(dirOf[i]).trusted()) {
                    out.writeInt(dirOf[i]);
                    entries[i].write(out, strings);
                }
            }
            out.flush();
            out.writeLong(crc.getValue()); // covers everything before it
            out.flush();
        });
    }

    /**
     * Reads {@code file}, checking its checksum first; entries share strings through {@code interner}.
     *
     * @throws NoSuchFileException when there is no checkpoint
     * @throws Rejected when it is damaged or belongs to another format, storage id or data dir
     */
    static Saved read(Path file, Identity expected, Interner interner) throws IOException, Rejected {
        verifyChecksum(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            DataInput in = new ChannelInput(ch, READ_BUFFER);
            if (in.readLong() != MAGIC) {
                throw new Rejected("not an index checkpoint");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new Rejected("format version " + version + ", this build reads " + FORMAT_VERSION);
            }
            String storageId = in.readUTF();
            if (!storageId.equals(expected.storageId())) {
                throw new Rejected("written for storage id " + storageId);
            }
            if (!in.readUTF().equals(expected.dataDir().toString())) {
                throw new Rejected("written for another data dir");
            }
            in.readLong();
            in.readInt();
            int count = in.readInt();
            if (count < 1) {
                throw new Rejected("no directories");
            }
            SharedStrings strings = new SharedStrings(interner);
            List<Dir> dirs = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                String path = in.readUTF();
                DirMarker marker = new DirMarker(in.readLong(), in.readLong(), in.readInt(), in.readLong(),
                        in.readInt(), in.readInt());
                int entryCount = in.readInt();
                if (entryCount < 0) {
                    throw new Rejected("negative entry count");
                }
                dirs.add(new Dir(path, marker, entryCount, in.readBoolean()));
            }
            long saved = in.readLong();
            if (saved < 0 || saved > Integer.MAX_VALUE - 8) {
                throw new Rejected("bad entry count " + saved);
            }
            CompactEntry[] entries = new CompactEntry[(int) saved];
            int[] dirOf = new int[entries.length];
            for (int i = 0; i < entries.length; i++) {
                dirOf[i] = in.readInt();
                if (dirOf[i] < 0 || dirOf[i] >= count) {
                    throw new Rejected("bad directory number " + dirOf[i]);
                }
                entries[i] = CompactEntry.read(in, strings);
            }
            return new Saved(dirs, entries, dirOf);
        } catch (EOFException e) {
            throw new Rejected("truncated");
        } catch (IOException e) {
            throw new Rejected("unreadable: " + e.getMessage());
        }
    }

    /** The last 8 bytes hold the CRC32C of all before them. */
    private static void verifyChecksum(Path file) throws IOException, Rejected {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < Long.BYTES) {
                throw new Rejected("truncated");
            }
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            long position = 0;
            long body = size - Long.BYTES;
            while (position < body) {
                buf.clear().limit((int) Math.min(BUFFER, body - position));
                int n = ch.read(buf, position);
                if (n < 0) {
                    throw new Rejected("truncated");
                }
                position += n;
                crc.update(buf.flip());
            }
            ByteBuffer trailer = ByteBuffer.allocate(Long.BYTES);
            while (trailer.hasRemaining()) {
                if (ch.read(trailer, position + trailer.position()) < 0) {
                    throw new Rejected("truncated");
                }
            }
            if (trailer.flip().getLong() != crc.getValue()) {
                throw new Rejected("checksum mismatch");
            }
        }
    }
}
