package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The index's immutable in-memory form of one {@link FileMetadata}, under half its size: the id as two
 * longs, the checksum as four longs, text as UTF-8 bytes, shared content type and uploader strings, the
 * expiry only when it is not {@code uploaded_at + ttl_days}, the storage path token-compressed. Rarely used
 * fields live in an optional {@link Extras}. {@link #toMetadata()} gives back an equal FileMetadata for any
 * input.
 */
final class CompactEntry {
    private static final FileStatus[] STATUSES = FileStatus.values();
    private static final RetentionPolicy[] POLICIES = RetentionPolicy.values();

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private static final byte HAS_TTL = 1;
    private static final byte EXPIRES_DERIVED = 1 << 1;
    private static final byte CHECKSUM_PACKED = 1 << 2;
    private static final byte TAGS_EMPTY = 1 << 3;
    private static final byte TOMBSTONE = 1 << 4;

    /** Fields that most files do not have, or have in a form that does not pack. */
    private record Extras(String description, List<String> tags, Instant expiresAt, String checksum) {
    }

    final long idHi;
    final long idLo;
    final long epochSecond;
    final int nano;
    final long size;
    private final long checksum0;
    private final long checksum1;
    private final long checksum2;
    private final long checksum3;
    private final int ttlDays;
    private final Object originalFilename; // byte[] UTF-8, or String when UTF-8 would not round-trip
    private final String contentType;
    private final String uploadedBy;
    private final Object storagePath; // null, byte[] from StoragePathCodec, or the String itself
    private final Extras extras;
    private final byte statusOrdinal;
    private final byte policyOrdinal;
    private final byte flags;

    private CompactEntry(FileMetadata m, Interner interner) {
        idHi = m.fileId().getMostSignificantBits();
        idLo = m.fileId().getLeastSignificantBits();
        epochSecond = m.uploadedAt().getEpochSecond();
        nano = m.uploadedAt().getNano();
        size = m.size();
        contentType = interner.intern(m.contentType());
        uploadedBy = interner.intern(m.uploadedBy());
        originalFilename = packText(m.originalFilename());
        statusOrdinal = (byte) m.status().ordinal();
        policyOrdinal = (byte) m.retentionPolicy().ordinal();

        byte f = 0;
        long[] packed = packChecksum(m.checksum());
        if (packed != null) {
            f |= CHECKSUM_PACKED;
            checksum0 = packed[0];
            checksum1 = packed[1];
            checksum2 = packed[2];
            checksum3 = packed[3];
        } else {
            checksum0 = checksum1 = checksum2 = checksum3 = 0;
        }
        if (m.ttlDays() != null) {
            f |= HAS_TTL;
            ttlDays = m.ttlDays();
        } else {
            ttlDays = 0;
        }
        if (m.expiresAt() != null && m.expiresAt().equals(derivedExpiry(m.uploadedAt(), m.ttlDays()))) {
            f |= EXPIRES_DERIVED;
        }
        if (m.tags() != null && m.tags().isEmpty()) {
            f |= TAGS_EMPTY;
        }
        flags = f;

        storagePath = m.storagePath() == null ? null
                : hasSurrogates(m.storagePath()) ? m.storagePath()
                : StoragePathCodec.encode(m.storagePath(), m.fileId(), m.originalFilename(), m.uploadedBy(),
                        m.uploadedAt());

        boolean needsExtras = m.description() != null
                || (m.tags() != null && !m.tags().isEmpty())
                || (m.expiresAt() != null && (f & EXPIRES_DERIVED) == 0)
                || packed == null;
        extras = needsExtras
                ? new Extras(m.description(), (f & TAGS_EMPTY) == 0 ? m.tags() : null,
                        (f & EXPIRES_DERIVED) == 0 ? m.expiresAt() : null, packed == null ? m.checksum() : null)
                : null;
    }

    /** A copy with another status and flags; everything else is shared (immutable). */
    private CompactEntry(CompactEntry e, FileStatus status, byte flags) {
        idHi = e.idHi;
        idLo = e.idLo;
        epochSecond = e.epochSecond;
        nano = e.nano;
        size = e.size;
        checksum0 = e.checksum0;
        checksum1 = e.checksum1;
        checksum2 = e.checksum2;
        checksum3 = e.checksum3;
        ttlDays = e.ttlDays;
        originalFilename = e.originalFilename;
        contentType = e.contentType;
        uploadedBy = e.uploadedBy;
        storagePath = e.storagePath;
        extras = e.extras;
        statusOrdinal = (byte) status.ordinal();
        policyOrdinal = e.policyOrdinal;
        this.flags = flags;
    }

    /** Every field as read back by {@link #read}. */
    private CompactEntry(long idHi, long idLo, long epochSecond, int nano, long size, long[] checksum, int ttlDays,
                         Object originalFilename, String contentType, String uploadedBy, Object storagePath,
                         Extras extras, byte statusOrdinal, byte policyOrdinal, byte flags) {
        this.idHi = idHi;
        this.idLo = idLo;
        this.epochSecond = epochSecond;
        this.nano = nano;
        this.size = size;
        this.checksum0 = checksum[0];
        this.checksum1 = checksum[1];
        this.checksum2 = checksum[2];
        this.checksum3 = checksum[3];
        this.ttlDays = ttlDays;
        this.originalFilename = originalFilename;
        this.contentType = contentType;
        this.uploadedBy = uploadedBy;
        this.storagePath = storagePath;
        this.extras = extras;
        this.statusOrdinal = statusOrdinal;
        this.policyOrdinal = policyOrdinal;
        this.flags = flags;
    }

    /**
     * Writes the compact form itself (an index checkpoint), so that loading needs neither JSON nor re-encoding;
     * {@link #read} gives back an equal entry. Strings go through modified UTF-8, which round-trips any text.
     */
    void write(DataOutput out, SharedStrings strings) throws IOException {
        out.writeByte(flags);
        out.writeByte(statusOrdinal);
        out.writeByte(policyOrdinal);
        out.writeLong(idHi);
        out.writeLong(idLo);
        out.writeLong(epochSecond);
        out.writeInt(nano);
        out.writeLong(size);
        if ((flags & CHECKSUM_PACKED) != 0) {
            out.writeLong(checksum0);
            out.writeLong(checksum1);
            out.writeLong(checksum2);
            out.writeLong(checksum3);
        }
        if ((flags & HAS_TTL) != 0) {
            out.writeInt(ttlDays);
        }
        writePacked(out, originalFilename);
        strings.write(out, contentType);
        strings.write(out, uploadedBy);
        writePacked(out, storagePath);
        out.writeBoolean(extras != null);
        if (extras != null) {
            writeNullable(out, extras.description());
            out.writeInt(extras.tags() == null ? -1 : extras.tags().size());
            if (extras.tags() != null) {
                for (String tag : extras.tags()) {
                    out.writeUTF(tag);
                }
            }
            out.writeBoolean(extras.expiresAt() != null);
            if (extras.expiresAt() != null) {
                out.writeLong(extras.expiresAt().getEpochSecond());
                out.writeInt(extras.expiresAt().getNano());
            }
            writeNullable(out, extras.checksum());
        }
    }

    /** Reads what {@link #write} wrote; content types and uploaders are shared through {@code strings}. */
    static CompactEntry read(DataInput in, SharedStrings strings) throws IOException {
        byte flags = in.readByte();
        byte status = in.readByte();
        byte policy = in.readByte();
        if (status < 0 || status >= STATUSES.length || policy < 0 || policy >= POLICIES.length) {
            throw new IOException("bad status or retention policy in an index entry");
        }
        long idHi = in.readLong();
        long idLo = in.readLong();
        long epochSecond = in.readLong();
        int nano = in.readInt();
        long size = in.readLong();
        long[] checksum = new long[4];
        if ((flags & CHECKSUM_PACKED) != 0) {
            for (int i = 0; i < 4; i++) {
                checksum[i] = in.readLong();
            }
        }
        int ttlDays = (flags & HAS_TTL) != 0 ? in.readInt() : 0;
        Object originalFilename = readPacked(in);
        String contentType = strings.read(in);
        String uploadedBy = strings.read(in);
        Object storagePath = readPacked(in);
        Extras extras = null;
        if (in.readBoolean()) {
            String description = readNullable(in);
            int tagCount = in.readInt();
            List<String> tags = null;
            if (tagCount >= 0) {
                List<String> read = new ArrayList<>(tagCount);
                for (int i = 0; i < tagCount; i++) {
                    read.add(in.readUTF());
                }
                tags = List.copyOf(read);
            }
            Instant expiresAt = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
            extras = new Extras(description, tags, expiresAt, readNullable(in));
        }
        if (originalFilename == null || ((flags & CHECKSUM_PACKED) == 0 && (extras == null || extras.checksum() == null))) {
            throw new IOException("an index entry without a file name or checksum");
        }
        return new CompactEntry(idHi, idLo, epochSecond, nano, size, checksum, ttlDays, originalFilename, contentType,
                uploadedBy, storagePath, extras, status, policy, flags);
    }

    private static final byte PACKED_NULL = 0;
    private static final byte PACKED_BYTES = 1;
    private static final byte PACKED_STRING = 2;

    private static void writePacked(DataOutput out, Object packed) throws IOException {
        if (packed == null) {
            out.writeByte(PACKED_NULL);
        } else if (packed instanceof byte[] bytes) {
            out.writeByte(PACKED_BYTES);
            out.writeInt(bytes.length);
            out.write(bytes);
        } else {
            out.writeByte(PACKED_STRING);
            out.writeUTF((String) packed);
        }
    }

    private static Object readPacked(DataInput in) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case PACKED_NULL:
                return null;
            case PACKED_BYTES:
                int length = in.readInt();
                if (length < 0 || length > 1 << 20) {
                    throw new IOException("bad length " + length + " in an index entry");
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                return bytes;
            case PACKED_STRING:
                return in.readUTF();
            default:
                throw new IOException("bad field kind " + kind + " in an index entry");
        }
    }

    private static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static CompactEntry of(FileMetadata m, Interner interner) {
        return new CompactEntry(m, interner);
    }

    /**
     * The entry a purged file leaves in the list order: its last metadata with status {@code deleted}, marked so
     * that lookups, counters and background work skip it.
     */
    CompactEntry asTombstone() {
        return isTombstone() ? this : new CompactEntry(this, FileStatus.DELETED, (byte) (flags | TOMBSTONE));
    }

    boolean isTombstone() {
        return (flags & TOMBSTONE) != 0;
    }

    FileMetadata toMetadata() {
        UUID fileId = new UUID(idHi, idLo);
        String name = unpackText(originalFilename);
        Instant uploadedAt = Instant.ofEpochSecond(epochSecond, nano);
        Integer ttl = (flags & HAS_TTL) != 0 ? ttlDays : null;
        Instant expiresAt = (flags & EXPIRES_DERIVED) != 0 ? derivedExpiry(uploadedAt, ttl)
                : extras == null ? null : extras.expiresAt();
        String checksum = (flags & CHECKSUM_PACKED) != 0 ? unpackChecksum() : extras.checksum();
        List<String> tags = (flags & TAGS_EMPTY) != 0 ? List.of() : extras == null ? null : extras.tags();
        String description = extras == null ? null : extras.description();
        String path = storagePath(fileId, name, uploadedAt);
        return new FileMetadata(fileId, name, contentType, size, checksum, uploadedBy, uploadedAt, description, tags,
                status(), POLICIES[policyOrdinal], ttl, expiresAt, path);
    }

    /** The storage path alone, without decoding the rest (a checkpoint groups entries by directory). */
    String storagePath() {
        return storagePath(new UUID(idHi, idLo), unpackText(originalFilename), Instant.ofEpochSecond(epochSecond, nano));
    }

    private String storagePath(UUID fileId, String name, Instant uploadedAt) {
        return storagePath == null ? null
                : storagePath instanceof byte[] code
                ? StoragePathCodec.decode(code, fileId, name, uploadedBy, uploadedAt)
                : (String) storagePath;
    }

    FileStatus status() {
        return STATUSES[statusOrdinal];
    }

    boolean hasId(long hi, long lo) {
        return idHi == hi && idLo == lo;
    }

    /** The contract's list order: uploaded_at, then file_id in its text order (unsigned, most significant first). */
    static int compare(CompactEntry a, CompactEntry b) {
        int c = Long.compare(a.epochSecond, b.epochSecond);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.nano, b.nano);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(a.idHi, b.idHi);
        return c != 0 ? c : Long.compareUnsigned(a.idLo, b.idLo);
    }

    static boolean sameOrderKey(CompactEntry a, CompactEntry b) {
        return a.epochSecond == b.epochSecond && a.nano == b.nano && a.idHi == b.idHi && a.idLo == b.idLo;
    }

    private static Instant derivedExpiry(Instant uploadedAt, Integer ttlDays) {
        if (ttlDays == null) {
            return null;
        }
        try {
            return uploadedAt.plus(Duration.ofDays(ttlDays));
        } catch (DateTimeException | ArithmeticException outOfRange) {
            return null;
        }
    }

    private static Object packText(String s) {
        return hasSurrogates(s) ? s : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String unpackText(Object packed) {
        return packed instanceof byte[] utf8 ? new String(utf8, StandardCharsets.UTF_8) : (String) packed;
    }

    /** Unpaired surrogates do not survive UTF-8; any surrogate keeps the String as is (rare, never in practice). */
    private static boolean hasSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Four longs for a 64-char lowercase hex SHA-256, or null when the text is anything else. */
    private static long[] packChecksum(String hex) {
        if (hex.length() != 64) {
            return null;
        }
        long[] words = new long[4];
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return null;
            }
            words[i / 16] = (words[i / 16] << 4) | digit;
        }
        return words;
    }

    private String unpackChecksum() {
        byte[] hex = new byte[64];
        long[] words = {checksum0, checksum1, checksum2, checksum3};
        for (int w = 0; w < 4; w++) {
            long word = words[w];
            for (int i = 15; i >= 0; i--) {
                hex[w * 16 + i] = HEX_DIGITS[(int) (word & 0xF)];
                word >>>= 4;
            }
        }
        return new String(hex, StandardCharsets.ISO_8859_1);
    }
}
