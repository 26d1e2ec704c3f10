package io.artsore.e2e.loadgen;

import java.util.Locale;

/** Measured operation types; each has its own counters and latency histogram. */
public enum OpType {
    UPLOAD, DOWNLOAD, RANGE, LIST, METADATA;

    /** Operations that read an existing file and so need files uploaded beforehand. */
    public boolean needsFiles() {
        return this == DOWNLOAD || this == RANGE || this == METADATA;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OpType parse(String label) {
        try {
            return valueOf(label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown operation '" + label + "' (upload, download, range, list, metadata)", e);
        }
    }
}
