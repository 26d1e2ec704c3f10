package io.artsore.se.storage.mode;

import java.io.IOException;

/** mode.json exists but cannot be read or trusted; startup must stop rather than guess a mode. */
public final class ModeStoreException extends IOException {
    public ModeStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
