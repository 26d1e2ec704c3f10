package io.artsore.se.storage.attr;

import java.io.IOException;
import java.nio.file.Path;

/** An attr.json that cannot be read as valid metadata. Carries the path for logs and reconciliation only. */
public final class CorruptAttrException extends IOException {
    private final Path path;
    private final String reason;

    public CorruptAttrException(Path path, String reason, Throwable cause) {
        super("corrupt attr.json " + path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
    }

    /** What is wrong, without the path (safe to show to API clients). */
    public String reason() {
        return reason;
    }

    public Path path() {
        return path;
    }
}
