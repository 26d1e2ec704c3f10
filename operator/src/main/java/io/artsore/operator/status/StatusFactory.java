package io.artsore.operator.status;

import io.artsore.operator.crd.Capacity;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementStatus;
import io.artsore.operator.mode.ElementInfo;
import io.artsore.operator.mode.ModeSyncOutcome;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Builds the next status from the workload, the certificate and the mode synchronisation. */
public final class StatusFactory {
    /** Ready reason: a pod's container cannot run (crash loop, image pull failure, bad container config). */
    public static final String PODS_FAILING = "PodsFailing";
    private final Clock clock;

    public StatusFactory(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param mode    null when no pod is ready yet (the element was not asked)
     * @param blocker null when every object was applied
     * @param reports conditions of the steps that ran in this pass (none for a standalone element's rollout)
     */
    public StorageElementStatus next(StorageElement element, WorkloadState workload, ModeSyncOutcome mode,
                                     Blocker blocker, List<ConditionReport> reports) {
        StorageElementStatus previous = element.getStatus() != null ? element.getStatus() : new StorageElementStatus();
        Long generation = element.getMetadata().getGeneration();
        Instant now = clock.instant();
        ElementInfo info = mode != null ? mode.info() : null;

        StorageElementStatus status = new StorageElementStatus();
        status.observedGeneration = generation;
        status.readyReplicas = workload.readyReplicas();
        status.leader = workload.leader();
        status.mode = info != null ? info.mode() : previous.mode;
        status.capacity = info != null && info.capacity() != null
                ? new Capacity(info.capacity().totalBytes(), info.capacity().usedBytes(), info.capacity().availableBytes())
                : previous.capacity;

        Readiness ready = readiness(element, workload, info, blocker);
        status.conditions = Conditions.list(
                Conditions.next(previous.conditions, ConditionTypes.READY, ready.ready() ? "True" : "False",
                        ready.reason(), ready.message(), generation, now),
                mode != null
                        ? Conditions.next(previous.conditions, ConditionTypes.MODE_SYNCED, mode.conditionStatus(),
                                mode.reason(), mode.message(), generation, now)
                        : Conditions.next(previous.conditions, ConditionTypes.MODE_SYNCED, "Unknown", "PodsNotReady",
                                "waiting for a ready pod", generation, now),
                Conditions.next(previous.conditions, ConditionTypes.CERTIFICATE_READY,
                        workload.certificateReady() == null ? "Unknown" : workload.certificateReady() ? "True" : "False",
                        workload.certificateReady() == null ? "Pending" : workload.certificateReady() ? "Issued" : "NotReady",
                        workload.certificateMessage(), generation, now));
        for (ConditionReport report : reports) {
            status.conditions.add(Conditions.next(previous.conditions, report.type(), report.status(),
                    report.reason(), report.message(), generation, now));
        }

        boolean modeSynced = mode != null && "True".equals(mode.conditionStatus());
        status.phase = blocker != null || workload.podFailure() != null ? "Degraded"
                : workload.readyReplicas() == 0 ? "Progressing"
                : ready.ready() && modeSynced ? "Running" : "Degraded";
        return status;
    }

    private record Readiness(boolean ready, String reason, String message) {
    }

    /**
     * Ready = nothing blocks the operator, the workload is rolled out to the current generation with every
     * replica ready, and the element is online in the mode the spec asks for. The first unmet one is the reason.
     */
    private static Readiness readiness(StorageElement element, WorkloadState workload, ElementInfo info,
                                       Blocker blocker) {
        String pods = workload.readyReplicas() + "/" + workload.desiredReplicas() + " pods ready";
        if (blocker != null) {
            return new Readiness(false, blocker.reason(), blocker.message());
        }
        if (workload.podFailure() != null) {
            return new Readiness(false, PODS_FAILING, pods + "; " + workload.podFailure());
        }
        if (workload.readyReplicas() == 0) {
            return new Readiness(false, "PodsNotReady", pods);
        }
        if (!workload.rolledOut()) {
            return new Readiness(false, "RolloutInProgress", pods + ", rollout of the current spec in progress");
        }
        if (info == null) {
            return new Readiness(false, "ElementUnreachable", pods);
        }
        if (!"online".equals(info.status())) {
            return new Readiness(false, "Element" + capitalise(info.status()), pods + ", element " + info.status());
        }
        String desired = element.getSpec().mode.wire();
        if (!desired.equals(info.mode())) {
            return new Readiness(false, "ModeNotSynced", pods + ", element in mode " + info.mode()
                    + ", spec.mode " + desired);
        }
        return new Readiness(true, "Online", pods + ", element online");
    }

    /** Compares by JSON so equal statuses never cause a write. */
    public static boolean same(StorageElementStatus a, StorageElementStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(Serialization.jsonMapper().valueToTree(a), Serialization.jsonMapper().valueToTree(b));
    }

    private static String capitalise(String s) {
        return s == null || s.isEmpty() ? "Unknown" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
