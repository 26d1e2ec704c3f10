package io.artsore.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Standard Kubernetes conditions; lastTransitionTime moves only when the status itself changes. */
public final class Conditions {
    private Conditions() {
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static Condition next(List<Condition> previous, String type, String status, String reason,
                                 String message, Long generation, Instant now) {
        Condition old = find(previous, type);
        String since = old != null && Objects.equals(old.getStatus(), status)
                ? old.getLastTransitionTime() : now.toString();
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
    }

    public static List<Condition> list(Condition... conditions) {
        return new ArrayList<>(List.of(conditions));
    }
}
