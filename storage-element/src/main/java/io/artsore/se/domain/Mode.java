package io.artsore.se.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Operating mode of a storage element (docs/contract.md §4). */
public enum Mode {
    EDIT(EnumSet.allOf(Operation.class)),
    RW(EnumSet.of(Operation.UPLOAD, Operation.DOWNLOAD, Operation.UPDATE, Operation.LIST)),
    RO(EnumSet.of(Operation.DOWNLOAD, Operation.LIST)),
    AR(EnumSet.of(Operation.LIST));

    private final Set<Operation> allowed;
    private final List<Operation> allowedInOrder;

    Mode(EnumSet<Operation> allowed) {
        this.allowed = allowed;
        this.allowedInOrder = List.copyOf(allowed); // EnumSet iterates in declaration order
    }

    public boolean allows(Operation op) {
        return allowed.contains(op);
    }

    /** Allowed operations in the contract's fixed order. */
    public List<Operation> allowedOperations() {
        return allowedInOrder;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name ("edit", "rw", "ro", "ar"); case-sensitive like the contract. */
    public static Optional<Mode> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Mode m : values()) {
            if (m.wireName().equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Retention of files uploaded in this mode: edit → temporary, otherwise permanent. */
    public RetentionPolicy uploadRetention() {
        return this == EDIT ? RetentionPolicy.TEMPORARY : RetentionPolicy.PERMANENT;
    }
}
