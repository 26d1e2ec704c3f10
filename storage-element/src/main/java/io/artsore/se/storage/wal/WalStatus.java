package io.artsore.se.storage.wal;

import java.util.Locale;
import java.util.Optional;

/**
 * Record states of docs/contract.md §13. This WAL writes only {@code pending}: a transaction is settled (committed or
 * rolled back) by deleting its record, so the WAL holds nothing but in-flight work. Settled records written
 * by other implementations are recognised and cleaned up.
 */
public enum WalStatus {
    PENDING, COMMITTED, ROLLED_BACK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WalStatus> fromWire(String v) {
        for (WalStatus s : values()) {
            if (s.wireName().equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
