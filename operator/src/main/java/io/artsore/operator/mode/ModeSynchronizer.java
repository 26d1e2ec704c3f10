package io.artsore.operator.mode;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementStatus;
import io.artsore.operator.status.ConditionTypes;
import io.artsore.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Moves a running element to {@code spec.mode} through its API. A transition the element refuses for good
 * (INVALID_TRANSITION, CONFIRMATION_REQUIRED) is not sent again for the same generation of the spec while
 * the element stays in the same mode: the ModeSynced condition of the last status is the memory of that
 * refusal, so it also survives an operator restart.
 */
public class ModeSynchronizer {
    static final Duration IN_SYNC_RECHECK = Duration.ofMinutes(5);
    static final Duration REFUSED_RECHECK = Duration.ofMinutes(10);
    static final Duration FAILURE_RECHECK = Duration.ofMinutes(1);
    static final Duration UNREACHABLE_RECHECK = Duration.ofSeconds(30);
    static final Duration NEXT_STEP = Duration.ofSeconds(1);

    private final ElementEndpointResolver resolver;
    private final ElementApiClient api;
    private final TokenProvider tokens;

    public ModeSynchronizer(ElementEndpointResolver resolver, ElementApiClient api, TokenProvider tokens) {
        this.resolver = resolver;
        this.api = api;
        this.tokens = tokens;
    }

    public ModeSyncOutcome sync(StorageElement element, StorageElementStatus previous) {
        URI base = resolver.serviceUri(element);
        ElementInfo info;
        try {
            info = api.info(element, base);
        } catch (ElementUnreachableException e) {
            return new ModeSyncOutcome(null, "Unknown", "ElementUnreachable", e.getMessage(), null,
                    UNREACHABLE_RECHECK);
        }
        String desired = element.getSpec().mode.wire();
        if (desired.equals(info.mode())) {
            return inSync(info, null);
        }
        Condition refused = finalRefusal(element, previous, info.mode());
        if (refused != null) {
            return new ModeSyncOutcome(info, "False", refused.getReason(), refused.getMessage(), null,
                    REFUSED_RECHECK);
        }
        String step = ModePath.nextStep(info.mode(), desired);
        boolean rollback = RollbackConfirmation.isRollback(info.mode(), step);
        if (rollback && RollbackConfirmation.spent(element, previous)) {
            return spentConfirmation(element, previous, info);
        }
        String token;
        try {
            token = tokens.token(element);
        } catch (TokenUnavailableException e) {
            return failed(info, "TokenUnavailable", e.getMessage(), FAILURE_RECHECK);
        }
        TransitionResult result;
        try {
            result = api.transition(element, base, step,
                    rollback && RollbackConfirmation.confirms(element, previous), token);
        } catch (ElementUnreachableException e) {
            return new ModeSyncOutcome(info, "Unknown", "ElementUnreachable", e.getMessage(), null,
                    UNREACHABLE_RECHECK);
        }
        return switch (result) {
            case TransitionResult.Accepted accepted -> accepted(info, accepted, desired);
            case TransitionResult.Refused refusal -> failed(info, refusal.code(),
                    "transition " + info.mode() + " -> " + step + " refused: " + refusal.message(),
                    refusal.isFinal() ? REFUSED_RECHECK : FAILURE_RECHECK);
        };
    }

    private static ModeSyncOutcome accepted(ElementInfo info, TransitionResult.Accepted accepted, String desired) {
        ElementInfo now = new ElementInfo(info.storageId(), accepted.currentMode(), info.status(),
                info.replicaMode(), info.role(), info.capacity());
        ModeSyncOutcome.Event event = new ModeSyncOutcome.Event("Normal", "ModeChanged",
                "mode " + accepted.previousMode() + " -> " + accepted.currentMode());
        if (desired.equals(accepted.currentMode())) {
            ModeSyncOutcome synced = inSync(now, event);
            return RollbackConfirmation.isRollback(accepted.previousMode(), accepted.currentMode())
                    ? new ModeSyncOutcome(now, synced.conditionStatus(), synced.reason(), synced.message(), event,
                            synced.recheckAfter(), true)
                    : synced;
        }
        return new ModeSyncOutcome(now, "False", "TransitionInProgress",
                "moving to " + desired + ", now " + accepted.currentMode(), event, NEXT_STEP);
    }

    private static ModeSyncOutcome inSync(ElementInfo info, ModeSyncOutcome.Event event) {
        return new ModeSyncOutcome(info, "True", "InSync", "element is in mode " + info.mode(), event,
                IN_SYNC_RECHECK);
    }

    private static ModeSyncOutcome failed(ElementInfo info, String reason, String message, Duration recheck) {
        return new ModeSyncOutcome(info, "False", reason, message,
                new ModeSyncOutcome.Event("Warning", reason, message), recheck);
    }

    /**
     * A ro -> rw whose confirmation an earlier rollback used: not sent. Warned once per spec generation (the pass
     * repeats it at every look until the spec changes).
     */
    private static ModeSyncOutcome spentConfirmation(StorageElement element, StorageElementStatus previous,
                                                     ElementInfo info) {
        String message = "confirmRollback was used by the rollback at generation "
                + RollbackConfirmation.usedAt(previous) + "; set it to false, wait until"
                + " status.confirmRollbackUsedAtGeneration is gone, then set it to true to confirm this rollback";
        Condition before = Conditions.find(previous.conditions, ConditionTypes.MODE_SYNCED);
        boolean reported = before != null && RollbackConfirmation.SPENT.equals(before.getReason())
                && Objects.equals(before.getObservedGeneration(), element.getMetadata().getGeneration());
        return new ModeSyncOutcome(info, "False", RollbackConfirmation.SPENT, message,
                reported ? null : new ModeSyncOutcome.Event("Warning", RollbackConfirmation.SPENT, message),
                REFUSED_RECHECK);
    }

    /** The refusal recorded for this very spec generation while the element was in this same mode, if any. */
    private static Condition finalRefusal(StorageElement element, StorageElementStatus previous, String observed) {
        if (previous == null || previous.conditions == null || !Objects.equals(previous.mode, observed)) {
            return null;
        }
        Long generation = element.getMetadata().getGeneration();
        return previous.conditions.stream()
                .filter(c -> ConditionTypes.MODE_SYNCED.equals(c.getType()))
                .filter(c -> "False".equals(c.getStatus()))
                .filter(c -> Objects.equals(c.getObservedGeneration(), generation))
                .filter(c -> new TransitionResult.Refused(409, c.getReason(), "").isFinal())
                .findFirst().orElse(null);
    }
}
