package io.artsore.se.replica;

import io.artsore.se.api.ApiException;
import io.artsore.se.api.Authorizer;
import io.artsore.se.api.WriteRouting;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.SeException;
import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import java.util.Map;
import java.util.Optional;

/**
 * Write endpoints of a replica: the leader serves them itself; a follower checks the token and scope (nothing
 * anonymous leaves the process), then forwards to the leader. A request that was already forwarded once is
 * never forwarded again (two replicas that both believe the other leads would otherwise bounce it forever).
 * With no leader known the answer is 503 {@code LEADER_UNAVAILABLE} with {@code Retry-After}. After the leader
 * accepted a forwarded write, this replica re-reads what changed before it answers, so the client's next read
 * here sees its own write (the change journal alone would show it up to a poll interval later).
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
                proxy.forward(req, res, leader, coordinator.advertisedAddress(), (status, body) -> {
                    if (status >= 200 && status < 300) {
                        coordinator.catchUpAfterForwardedWrite(fileIdInPath(req), body);
                    }
                });
            } catch (LeaderProxy.LeaderUnreachable e) {
                if (res.isSent()) {
                    throw new IllegalStateException(e.getMessage(), e); // mid-stream: break the connection
                }
                throw unavailable(e.getMessage() + "; retry shortly");
            }
        };
    }

    private static Optional<String> fileIdInPath(ServerRequest req) {
        Parameters params = req.path().pathParameters();
        return params.contains("file_id") ? Optional.of(params.get("file_id")) : Optional.empty();
    }

    static ApiException unavailable(String message) {
        return new ApiException(ErrorCode.LEADER_UNAVAILABLE, message, Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }
}
