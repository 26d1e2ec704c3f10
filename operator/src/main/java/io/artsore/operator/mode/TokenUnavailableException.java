package io.artsore.operator.mode;

/** No storage:write token could be obtained (missing Secret, token endpoint refused, ...). */
public class TokenUnavailableException extends Exception {
    public TokenUnavailableException(String message) {
        super(message);
    }

    public TokenUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
