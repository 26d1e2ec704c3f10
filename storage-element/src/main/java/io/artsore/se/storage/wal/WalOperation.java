package io.artsore.se.storage.wal;

import java.util.Locale;
import java.util.Optional;

/** Kinds of write transactions (docs/contract.md §13 names plus {@code file_purge} for GC removals). */
public enum WalOperation {
    FILE_CREATE, FILE_UPDATE, FILE_DELETE, FILE_PURGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WalOperation> fromWire(String v) {
        for (WalOperation o : values()) {
            if (o.wireName().equals(v)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
