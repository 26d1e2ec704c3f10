package io.artsore.se.domain;

import java.util.Locale;

/** Client-visible file operations, declared in the contract's fixed order (upload, download, update, delete, list). */
public enum Operation {
    UPLOAD, DOWNLOAD, UPDATE, DELETE, LIST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
