package io.artsore.se.api.multipart;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;

/**
 * The request body is not acceptable multipart/form-data (malformed, truncated or over a limit): a client
 * error, {@code 400 VALIDATION_ERROR}. Unchecked on purpose, so that it travels unchanged through copy loops
 * that read {@link Part#body()} and stays distinguishable from I/O failures of the destination.
 * The message is safe to show to the client.
 */
public final class MultipartException extends SeException {
    public MultipartException(String message) {
        super(ErrorCode.VALIDATION_ERROR, message);
    }
}
