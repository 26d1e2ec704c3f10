package io.artsore.se.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.BuildInfo;
import io.artsore.se.api.auth.Principal;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.Operation;
import io.artsore.se.logging.Events;
import io.artsore.se.replica.ReplicaStatus;
import io.artsore.se.service.Capacity;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.reconcile.Reconciler;
import io.artsore.se.storage.mode.ModeChange;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Info, mode transition, reconcile and health endpoints (docs/contract.md §1 #7-#11). */
public final class SystemApi {
    private static final Logger LOG = Logger.getLogger(SystemApi.class.getName());

    private final String storageId;
    private final StorageEngine engine;
    private final Authorizer auth;
    private final ReplicaStatus replica;
    private final Reconciler reconciler;
    private final Readiness readiness;
    private final Clock clock;

    public SystemApi(String storageId, StorageEngine engine, Authorizer auth, ReplicaStatus replica,
                     Reconciler reconciler, Readiness readiness, Clock clock) {
        this.storageId = storageId;
        this.engine = engine;
        this.auth = auth;
        this.replica = replica;
        this.reconciler = reconciler;
        this.readiness = readiness;
        this.clock = clock;
    }

    record CapacityInfo(long totalBytes, long usedBytes, long availableBytes) {
    }

    record StorageInfo(String storageId, String mode, String status, String version, CapacityInfo capacity,
                       String replicaMode, String role, List<String> allowedOperations) {
    }

    record ModeTransitionResponse(String previousMode, String currentMode, Instant transitionedAt) {
    }

    record HealthLive(String status, Instant timestamp, String version, String service) {
    }

    record HealthReady(String status, Instant timestamp, String version, String service,
                       Map<String, Readiness.Check> checks) {
    }

    public void info(ServerRequest req, ServerResponse res) {
        Mode mode = engine.mode();
        Capacity c = engine.capacity();
        String status = "fail".equals(readiness.recent().status()) ? "degraded" : "online";
        List<String> allowed = mode.allowedOperations().stream().map(Operation::wireName).toList();
        Json.send(res, 200, new StorageInfo(storageId, mode.wireName(), status, BuildInfo.version(),
                new CapacityInfo(c.totalBytes(), c.usedBytes(), c.availableBytes()), replica.replicaMode(),
                replica.role(), allowed));
    }

    public void transition(ServerRequest req, ServerResponse res) throws IOException {
        Principal principal = auth.require(req, Scopes.STORAGE_WRITE);
        JsonNode body = JsonBodies.read(req);
        if (!body.isObject()) {
            throw ApiException.validation("body must be a JSON object");
        }
        Mode target = targetMode(body);
        boolean confirm = confirmFlag(body);
        ModeChange change = engine.transition(target, confirm, principal.subject());
        Events.log(LOG, Level.INFO, "mode_transition", "operation", "mode_transition", "subject",
                principal.subject(), "previous_mode", change.previousMode().wireName(), "current_mode",
                change.currentMode().wireName(), "outcome", "success");
        Json.send(res, 200, new ModeTransitionResponse(change.previousMode().wireName(),
                change.currentMode().wireName(), change.transitionedAt()));
    }

    private static Mode targetMode(JsonNode body) {
        JsonNode value = body.get("target_mode");
        if (value == null || !value.isTextual()) {
            throw ApiException.validation("target_mode is required and must be one of rw, ro, ar");
        }
        return Mode.fromWire(value.asText())
                .orElseThrow(() -> ApiException.validation("target_mode must be one of rw, ro, ar"));
    }

    private static boolean confirmFlag(JsonNode body) {
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("target_mode") && !name.equals("confirm")) {
                throw ApiException.validation("unknown field " + Validation.shorten(name));
            }
        }
        JsonNode value = body.get("confirm");
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.validation("confirm must be a boolean");
        }
        return value.booleanValue();
    }

    public void reconcile(ServerRequest req, ServerResponse res) throws IOException {
        Principal principal = auth.require(req, Scopes.STORAGE_WRITE);
        String verify = RequestParams.optional(req, "verify");
        if (verify != null && !verify.equals("full")) {
            throw ApiException.validation("verify must be 'full' when given");
        }
        var report = reconciler.reconcile(verify != null);
        Events.log(LOG, Level.INFO, "reconcile", "operation", "reconcile", "subject", principal.subject(),
                "files_checked", report.filesChecked(), "issues", report.issues().size(), "outcome", "success");
        Json.send(res, 200, report);
    }

    public void live(ServerRequest req, ServerResponse res) {
        Json.send(res, 200, new HealthLive("ok", clock.instant(), BuildInfo.version(), BuildInfo.SERVICE));
    }

    public void ready(ServerRequest req, ServerResponse res) {
        Readiness.Result result = readiness.evaluate();
        Json.send(res, "fail".equals(result.status()) ? 503 : 200, new HealthReady(result.status(), clock.instant(),
                BuildInfo.version(), BuildInfo.SERVICE, result.checks()));
    }
}
