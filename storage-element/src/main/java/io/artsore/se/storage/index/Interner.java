package io.artsore.se.storage.index;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares equal strings between index entries (content types and uploaders repeat across millions of files).
 * Bounded so that a store with unusually many distinct values cannot grow the pool without limit: past the
 * bound, new values are simply stored unshared.
 */
final class Interner {
    private static final int MAX_SIZE = 100_000;

    private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();

    String intern(String value) {
        String shared = pool.get(value);
        if (shared != null) {
            return shared;
        }
        if (pool.size() >= MAX_SIZE) {
            return value;
        }
        shared = pool.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }
}
