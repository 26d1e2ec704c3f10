package io.artsore.se.replica;

import io.artsore.se.api.ApiException;
import io.artsore.se.api.Authorizer;
import io.artsore.se.api.WriteRouting;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.helidon.webserver.http.Handler;
import java.util.Map;

/**
 * Write endpoints of a replica: the leader serves them itself; a follower checks the token and scope (nothing
 * anonymous leaves the process), then forwards to the leader. A request that was already forwarded once is
 * never forwarded again (two replicas that both believe the other leads would otherwise bounce it forever).
 * With no leader known the answer is 503 {@code LEADER_UNAVAILABLE} with {@code Retry-After}.
 */
public final class ReplicaWriteRouting implements WriteRouting {
    static final String RETRY_AFTER_SECONDS = "1";

    private final ReplicaCoordinator coordinator;
    private final Authorizer auth;
    private final LeaderProxy proxy;

    ReplicaWriteRouting(ReplicaCoordinator coordinator, Authorizer auth, LeaderProxy proxy) {
        this.coordinator = coordinator;
        this.auth = auth;
        this.proxy = proxy;
    }

    @Override
    public Handler route(String scope, Handler local) {
        return (req, res) -> {
            if (coordinator.isLeader()) {
                try {
                    local.handle(req, res);
                } catch (SeException e) {
                    // leadership lost between dispatch and commit: the body is consumed, so no forwarding now
                    if (e.code() == ErrorCode.LEADER_UNAVAILABLE && !(e instanceof ApiException)) {
                        throw unavailable(e.getMessage());
                    }
                    throw e;
                }
                return;
            }
            auth.require(req, scope);
            if (req.headers().contains(LeaderProxy.FORWARDED_BY_HEADER)) {
                throw unavailable("the request was forwarded to a replica that is not the leader; retry shortly");
            }
            String leader = coordinator.leaderAddress()
                    .orElseThrow(() -> unavailable("no leader is known; retry shortly"));
            try {
                proxy.forward(req, res, leader, coordinator.advertisedAddress());
            } catch (LeaderProxy.LeaderUnreachable e) {
                if (res.isSent()) {
                    throw new IllegalStateException(e.getMessage(), e); // mid-stream: break the connection
                }
                throw unavailable(e.getMessage() + "; retry shortly");
            }
        };
    }

    static ApiException unavailable(String message) {
        return new ApiException(ErrorCode.LEADER_UNAVAILABLE, message, Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }
}
