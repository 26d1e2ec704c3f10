package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
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
        String path = storagePath == null ? null
                : storagePath instanceof byte[] code
                ? StoragePathCodec.decode(code, fileId, name, uploadedBy, uploadedAt)
                : (String) storagePath;
        return new FileMetadata(fileId, name, contentType, size, checksum, uploadedBy, uploadedAt, description, tags,
                status(), POLICIES[policyOrdinal], ttl, expiresAt, path);
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
