package io.artsore.se.domain;

import java.util.Locale;
import java.util.Optional;

public enum FileStatus {
    ACTIVE, EXPIRED, DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FileStatus> fromWire(String value) {
        for (FileStatus s : values()) {
            if (s.wireName().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
