package io.artsore.se.domain;

import java.util.Locale;
import java.util.Optional;

public enum RetentionPolicy {
    TEMPORARY, PERMANENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RetentionPolicy> fromWire(String value) {
        for (RetentionPolicy r : values()) {
            if (r.wireName().equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
