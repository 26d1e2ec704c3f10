package io.artsore.se.api;

import io.helidon.webserver.http.Handler;

/**
 * Decides where a write request (upload, PATCH, DELETE, mode transition, reconcile) is served. A standalone
 * element serves it locally ({@link #LOCAL}); a replicated follower forwards it to its leader.
 */
@FunctionalInterface
public interface WriteRouting {
    /**
     * @param scope the scope the endpoint requires (checked before anything leaves this process)
     * @param local the handler that serves the request on this process
     */
    Handler route(String scope, Handler local);

    WriteRouting LOCAL = (scope, local) -> local;
}
