package io.artsore.se.api.auth;

import java.util.Objects;
import java.util.Set;

/** An authenticated caller: the token's {@code sub} and its scopes (exact strings). */
public record Principal(String subject, Set<String> scopes) {
    public Principal {
        Objects.requireNonNull(subject, "subject");
        scopes = Set.copyOf(scopes);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
