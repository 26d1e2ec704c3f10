package io.artsore.operator.reconcile;

import io.artsore.operator.status.ConditionReport;
import io.artsore.operator.status.ConditionTypes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Rolls the pods of a replicated element to its StatefulSet's update revision. The set uses
 * {@code updateStrategy: OnDelete}, so its controller recreates a pod at the new revision only after someone deleted
 * it; that someone is this class, one pod per pass: followers first (highest ordinal first, as the StatefulSet
 * controller would), the leader last, so an upgrade costs one leader handover instead of up to one per pod. A pod is
 * deleted only while every pod of the element exists and is ready: a pod still starting, terminating or missing
 * holds the rollout, which is what keeps the element serving through it. When no pod reports the leader role (the
 * operator cannot reach them), the order falls back to the controller's, since holding an image upgrade back until
 * the operator sees a leader could keep a fix out forever; the price is at most one extra handover.
 */
final class LeaderLastRollout {
    private static final String REVISION_LABEL = "controller-revision-hash";
    private static final System.Logger LOG = System.getLogger(LeaderLastRollout.class.getName());

    /** @param restarted the pod deleted in this pass, null when none */
    record Step(ConditionReport condition, String restarted) {
        boolean inProgress() {
            return "False".equals(condition.status());
        }
    }

    private LeaderLastRollout() {
    }

    /**
     * @param pods   the element's pods, read live: a cache that has not yet seen the last deletion would show the
     *               deleted pod ready and let a second one go
     * @param leader pod name of the leader, null when unknown
     * @param delete deletes one pod
     */
    static Step step(StatefulSet set, List<Pod> pods, String leader, Consumer<Pod> delete) {
        int desired = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        String target = set.getStatus() == null ? null : set.getStatus().getUpdateRevision();
        boolean observed = set.getStatus() != null
                && Objects.equals(set.getStatus().getObservedGeneration(), set.getMetadata().getGeneration());
        if (target == null || !observed) {
            return waiting("WaitingForController", "waiting for the StatefulSet controller to observe the current spec");
        }
        List<Pod> outdated = pods.stream().filter(p -> !target.equals(revision(p)))
                .sorted(order(leader)).toList();
        long current = pods.size() - outdated.size();
        String progress = current + "/" + desired + " pods at revision " + target;
        List<String> notReady = pods.stream().filter(p -> !PodReadiness.isReady(p))
                .map(p -> p.getMetadata().getName()).sorted().toList();
        if (!notReady.isEmpty() || pods.size() < desired) {
            String waitingFor = notReady.isEmpty() ? (desired - pods.size()) + " pod(s) to be created"
                    : String.join(", ", notReady) + " to become ready";
            return waiting("WaitingForPods", progress + "; waiting for " + waitingFor);
        }
        if (outdated.isEmpty()) {
            return new Step(new ConditionReport(ConditionTypes.ROLLED_OUT, "True", "UpToDate", progress), null);
        }
        Pod next = outdated.getFirst();
        String name = next.getMetadata().getName();
        String role = name.equals(leader) ? "leader" : leader == null ? "pod (leader unknown)" : "follower";
        delete.accept(next);
        LOG.log(System.Logger.Level.INFO, "rollout {0}/{1}: restarted {2} {3} at revision {4}, target {5}",
                next.getMetadata().getNamespace(), set.getMetadata().getName(), role, name, revision(next), target);
        return new Step(new ConditionReport(ConditionTypes.ROLLED_OUT, "False", "RestartingPod",
                progress + "; restarted " + role + " " + name + " (followers first, the leader last)"), name);
    }

    private static Step waiting(String reason, String message) {
        return new Step(new ConditionReport(ConditionTypes.ROLLED_OUT, "False", reason, message), null);
    }

    /** Followers before the leader; among followers the highest ordinal first. */
    private static Comparator<Pod> order(String leader) {
        return Comparator.<Pod, Boolean>comparing(p -> p.getMetadata().getName().equals(leader))
                .thenComparing(LeaderLastRollout::ordinal, Comparator.reverseOrder())
                .thenComparing(p -> p.getMetadata().getName());
    }

    private static int ordinal(Pod pod) {
        String name = pod.getMetadata().getName();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String revision(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(REVISION_LABEL);
    }
}
