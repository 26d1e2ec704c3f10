package io.artsore.se.api.auth;

import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;

/**
 * The request is not authenticated: {@code 401 UNAUTHORIZED}. The message is safe for the response body;
 * {@link #wwwAuthenticate()} is the matching {@code WWW-Authenticate} header value (RFC 6750 §3).
 */
public final class AuthException extends SeException {
    static final String REALM = "storage-element";

    private final String wwwAuthenticate;

    private AuthException(String message, String wwwAuthenticate) {
        super(ErrorCode.UNAUTHORIZED, message);
        this.wwwAuthenticate = wwwAuthenticate;
    }

    /** No credentials at all (RFC 6750: no error code then). */
    public static AuthException missingToken() {
        return new AuthException("missing bearer token", "Bearer realm=\"" + REALM + "\"");
    }

    /** Credentials were sent but are not acceptable; {@code description} must be a fixed, quote-free text. */
    public static AuthException invalidToken(String description) {
        return new AuthException("invalid token: " + description, "Bearer realm=\"" + REALM
                + "\", error=\"invalid_token\", error_description=\"" + description + "\"");
    }

    public String wwwAuthenticate() {
        return wwwAuthenticate;
    }
}
