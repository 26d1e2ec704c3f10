package io.artsore.se.api;

/** Scopes required by the protected endpoints (docs/contract.md §1). */
public final class Scopes {
    public static final String FILES_READ = "files:read";
    public static final String FILES_WRITE = "files:write";
    public static final String STORAGE_WRITE = "storage:write";

    private Scopes() {
    }
}
