package io.artsore.se.replica;

import io.artsore.se.logging.Events;
import io.artsore.se.storage.attr.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The change journal in {@code {data}/.changes/}: every process that writes to the shared data dir appends one
 * line per changed file, {@code <epoch> <epoch millis> <file_id>}, to segment files of its own
 * ({@code <writer tag>-<seq>.log}). Readers tail the segments of other writers. An entry is only a hint "look at
 * this file again": readers re-read the file's attr.json, so order and duplicates do not matter and a reader
 * that misses nothing never needs a full rescan. The target {@value #RESYNC} asks readers for a full resync
 * (written after startup recovery removed files whose ids are not known).
 */
final class ChangeJournal implements AutoCloseable {
    static final String DIR_NAME = ".changes";
    static final String RESYNC = "*";
    static final long SEGMENT_BYTES = 4L << 20;
    private static final Logger LOG = Logger.getLogger(ChangeJournal.class.getName());
    private static final String SUFFIX = ".log";
    /** Per-poll read cap per segment, so one huge backlog cannot stall a poll. */
    private static final int MAX_READ = 1 << 20;

    /** One journal line. {@code target} is a file id or {@link #RESYNC}. */
    record Entry(long epoch, long millis, String target) {
    }

    private final Path dir;
    private final String writerTag;
    private FileChannel segment;
    private String segmentName;
    private int sequence;
    private long segmentBytes;

    ChangeJournal(Path dataDir) throws IOException {
        this.dir = dataDir.resolve(DIR_NAME);
        AtomicFiles.createDirectoriesDurably(dir);
        this.writerTag = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Appends one entry and forces it, so readers on other NFS clients see it at their next poll. */
    synchronized void append(long epoch, Instant at, String target) throws IOException {
        byte[] line = (epoch + " " + at.toEpochMilli() + " " + target + "\n").getBytes(StandardCharsets.US_ASCII);
        if (segment == null || segmentBytes + line.length > SEGMENT_BYTES) {
            rotate();
        }
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
            segment.write(buf); // one write of a whole line into an APPEND channel: never interleaved
        }
        segment.force(false);
        segmentBytes += line.length;
    }

    private void rotate() throws IOException {
        if (segment != null) {
            segment.close();
        }
        segmentName = String.format(Locale.ROOT, "%s-%06d%s", writerTag, sequence++, SUFFIX);
        segment = FileChannel.open(dir.resolve(segmentName), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        AtomicFiles.fsyncDirectory(dir); // the segment's forced lines are reachable after a power cut only with its entry
        segmentBytes = 0;
    }

    /** Deletes segments nobody has appended to for {@code keep} (readers poll far more often than that). */
    synchronized void prune(Duration keep, Instant now) throws IOException {
        for (Path p : segments()) {
            try {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(now.minus(keep))
                        && !p.getFileName().toString().equals(segmentName)) {
                    Files.deleteIfExists(p);
                }
            } catch (NoSuchFileException e) {
                // pruned by someone else meanwhile
            }
        }
    }

    /** A reader positioned at the current end of every segment: it sees what is appended from now on. */
    Tail tailFromNow() throws IOException {
        Tail t = new Tail();
        for (Path p : segments()) {
            try {
                t.offsets.put(p.getFileName().toString(), Files.size(p));
            } catch (NoSuchFileException e) {
                // pruned meanwhile
            }
        }
        return t;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** Reads other writers' new entries; not thread-safe (one poller). */
    final class Tail {
        private final Map<String, Long> offsets = new HashMap<>();

        List<Entry> poll() throws IOException {
            List<Entry> entries = new ArrayList<>();
            Set<String> present = new HashSet<>();
            for (Path p : segments()) {
                String name = p.getFileName().toString();
                present.add(name);
                if (!name.startsWith(writerTag + "-")) {
                    readNew(p, name, entries);
                }
            }
            offsets.keySet().retainAll(present);
            return entries;
        }

        private void readNew(Path p, String name, List<Entry> out) throws IOException {
            long offset = offsets.getOrDefault(name, 0L);
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size <= offset) {
                    return;
                }
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_READ, size - offset));
                while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                    // fill
                }
                byte[] bytes = buf.array();
                int end = buf.position();
                int lineStart = 0;
                for (int i = 0; i < end; i++) {
                    if (bytes[i] == '\n') {
                        parse(new String(bytes, lineStart, i - lineStart, StandardCharsets.US_ASCII), out);
                        lineStart = i + 1;
                    }
                }
                // an incomplete last line (a writer still writing, or one that died mid-line) stays unread
                offsets.put(name, offset + lineStart);
            } catch (NoSuchFileException e) {
                // pruned meanwhile
            }
        }

        private void parse(String line, List<Entry> out) {
            String[] parts = line.split(" ");
            try {
                if (parts.length == 3 && (parts[2].equals(RESYNC) || UUID.fromString(parts[2]) != null)) {
                    out.add(new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2]));
                    return;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            Events.log(LOG, Level.WARNING, "change_journal_line_skipped", "dir", DIR_NAME, "reason", "malformed");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (segment != null) {
            segment.close();
            segment = null;
        }
    }
}
