package io.artsore.se.api;

import io.artsore.se.api.auth.AuthException;
import io.artsore.se.api.auth.Principal;
import io.artsore.se.api.auth.TokenVerifier;
import io.artsore.se.domain.ErrorCode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.Map;

/** Authentication (401) then scope (403): the first two checks of every protected endpoint. */
public final class Authorizer {
    private static final String REALM = "Bearer realm=\"storage-element\"";
    private final TokenVerifier verifier;

    public Authorizer(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    public Principal require(ServerRequest req, String scope) {
        List<String> values = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
        if (values.size() > 1) {
            throw unauthorized(AuthException.invalidToken("more than one Authorization header"));
        }
        Principal principal;
        try {
            principal = verifier.verify(values.isEmpty() ? null : values.get(0));
        } catch (AuthException e) {
            throw unauthorized(e);
        }
        if (!principal.hasScope(scope)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "token lacks the required scope " + scope,
                    Map.of("WWW-Authenticate", REALM + ", error=\"insufficient_scope\", scope=\"" + scope + "\""));
        }
        return principal;
    }

    private static ApiException unauthorized(AuthException e) {
        return new ApiException(ErrorCode.UNAUTHORIZED, e.getMessage(),
                Map.of("WWW-Authenticate", e.wwwAuthenticate()));
    }
}
