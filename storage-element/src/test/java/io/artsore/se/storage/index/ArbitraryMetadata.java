package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Seeded generator of metadata with every oddity the index must carry exactly (a failing seed reproduces). */
final class ArbitraryMetadata {
    private static final String[] SAMPLES = {"report.pdf", "a.b.c", ".hidden", "noext", "", "Ünïcødé 名前.txt",
        "x\uD800y", "\u0000\u0001\u0007", "ab", "alice"};
    private static final FileStatus[] STATUSES = FileStatus.values();
    private static final RetentionPolicy[] POLICIES = RetentionPolicy.values();

    private final Random random;

    ArbitraryMetadata(long seed) {
        random = new Random(seed);
    }

    FileMetadata next() {
        UUID id = new UUID(random.nextLong(), random.nextLong());
        String name = text();
        String user = random.nextBoolean() ? "alice" : text();
        Instant at = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
        Integer ttl = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> 1 + random.nextInt(365);
            default -> random.nextInt();
        };
        Instant expires = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> ttl == null ? at : plusDaysOr(at, ttl);
            default -> at.plusNanos(1 + random.nextInt(1000));
        };
        String path = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> id.toString().substring(0, 2) + "/" + name + "_" + user + "_"
                    + StoragePathCodec.fileNameTimestamp(at) + "_" + id + text();
            default -> text();
        };
        List<String> tags = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> List.of();
            default -> {
                List<String> list = new ArrayList<>();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    list.add(text());
                }
                yield list;
            }
        };
        return new FileMetadata(id, name, random.nextBoolean() ? "application/pdf" : text(),
                random.nextLong(Long.MAX_VALUE), checksum(), user, at, random.nextBoolean() ? null : text(), tags,
                STATUSES[random.nextInt(STATUSES.length)], POLICIES[random.nextInt(POLICIES.length)], ttl, expires,
                path);
    }

    private String checksum() {
        String alphabet = switch (random.nextInt(3)) {
            case 0 -> "0123456789abcdef";
            case 1 -> "0123456789abcdefABCDEF";
            default -> null;
        };
        if (alphabet == null) {
            return text();
        }
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Sample strings, or random ones over all of UTF-16 (unpaired surrogates included). */
    private String text() {
        if (random.nextBoolean()) {
            return SAMPLES[random.nextInt(SAMPLES.length)];
        }
        char[] chars = new char[random.nextInt(30)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = random.nextInt(4) == 0 ? (char) random.nextInt(Character.MAX_VALUE + 1)
                    : (char) ('.' + random.nextInt(80));
        }
        return new String(chars);
    }

    private static Instant plusDaysOr(Instant at, int days) {
        try {
            return at.plus(Duration.ofDays(days));
        } catch (RuntimeException outOfRange) {
            return at;
        }
    }
}
