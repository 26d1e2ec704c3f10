package io.artsore.operator.reconcile;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.ReplicaMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementStatus;
import io.artsore.operator.mode.LeaderLocator;
import io.artsore.operator.mode.ModeSyncOutcome;
import io.artsore.operator.mode.ModeSynchronizer;
import io.artsore.operator.mode.RollbackConfirmation;
import io.artsore.operator.status.Blocker;
import io.artsore.operator.status.ConditionReport;
import io.artsore.operator.status.ConditionTypes;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.status.StatusFactory;
import io.artsore.operator.status.WorkloadState;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateCondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One reconcile of one StorageElement: derived objects, then mode, then the next status. Every object is applied
 * on every pass (server-side apply makes that a no-op when nothing drifted); objects the API server refuses are
 * collected, the others still converge, and the refusals end up in status (Ready=False, ApplyFailed).
 */
public class ElementSync {
    static final Duration NOT_READY_RECHECK = Duration.ofSeconds(30);
    /** Pod events wake the operator as soon as a restarted pod is ready; this only backs them up. */
    static final Duration ROLLOUT_RECHECK = Duration.ofSeconds(10);

    private final ResourceApplier applier;
    private final ModeSynchronizer modes;
    private final LeaderLocator leaders;
    private final StatusFactory statuses;
    private final EventRecorder events;
    private final ObjectReader live;
    private volatile ObjectReader reader;

    public ElementSync(KubernetesClient client, ModeSynchronizer modes, LeaderLocator leaders,
                       StatusFactory statuses, EventRecorder events) {
        this.applier = new ResourceApplier(client);
        this.modes = modes;
        this.leaders = leaders;
        this.statuses = statuses;
        this.events = events;
        this.live = new LiveObjectReader(client);
        this.reader = live;
    }

    /** Reads owned objects through the given reader (the informer caches once the controller runs). */
    public void readFrom(ObjectReader objects) {
        this.reader = objects;
    }

    /** @param failures objects the API server refused in this pass (empty when all converged) */
    public record Result(StorageElementStatus status, Duration recheckAfter, List<ApplyFailure> failures) {
    }

    public Result reconcile(StorageElement element) {
        ElementNames names = ElementNames.of(element);
        boolean replicated = element.getSpec().replicaMode == ReplicaMode.REPLICATED;
        ApplyPass pass = new ApplyPass(applier);

        Certificate certificate = pass.apply(CertificateFactory.build(element));
        if (certificate == null) {
            certificate = reader.get(Certificate.class, names.namespace(), names.certificate());
        }
        pass.apply(ServiceFactory.clusterIp(element));
        if (replicated) {
            pass.apply(ServiceFactory.headless(element));
        }
        // claims are read live: a cache that has not yet seen a deletion must not make the apply recreate one
        DataClaims.Outcome claims = DataClaims.apply(element, replicated
                ? List.of(ClaimFactory.data(element))
                : List.of(ClaimFactory.data(element), ClaimFactory.wal(element)), live, pass);
        // a lost data claim freezes the workload: its pods must not start on a fresh, empty volume
        WorkloadState workload = claims.missing().isEmpty()
                ? applyWorkload(element, replicated, pass, certificate)
                : observeWorkload(element, replicated, certificate);
        reconcileRoute(element, pass);
        reconcileBudget(element, pass);
        LeaderLastRollout.Step rollout = replicated && claims.missing().isEmpty()
                ? roll(element, workload.leader(), pass) : null;
        List<ConditionReport> reports = new ArrayList<>();
        if (rollout != null) {
            reports.add(rollout.condition());
        }
        if (replicated) {
            reports.add(WalClaimResize.apply(element, live.list(PersistentVolumeClaim.class,
                    element.getMetadata().getNamespace(), ElementLabels.selector(element)), pass));
        }

        ModeSyncOutcome mode = workload.readyReplicas() > 0 ? modes.sync(element, element.getStatus()) : null;
        if (mode != null && mode.event() != null) {
            events.record(element, mode.event().type(), mode.event().reason(), mode.event().message());
        }
        List<ApplyFailure> failures = pass.failures();
        Blocker blocker = !claims.missing().isEmpty()
                ? new Blocker(Blocker.DATA_VOLUME_MISSING, String.join("; ", claims.missing()))
                : !failures.isEmpty()
                ? new Blocker(Blocker.APPLY_FAILED, failures.stream().map(ApplyFailure::describe)
                        .collect(Collectors.joining("; ")))
                : null;
        StorageElementStatus status = statuses.next(element, workload, mode, blocker, reports);
        status.dataClaims = claims.claims().isEmpty() ? null : claims.claims();
        status.confirmRollbackUsedAtGeneration = RollbackConfirmation.next(element, element.getStatus(), mode);
        warnOnce(element, blocker);
        Duration recheck = mode != null ? mode.recheckAfter() : NOT_READY_RECHECK;
        if (rollout != null && rollout.inProgress() && ROLLOUT_RECHECK.compareTo(recheck) < 0) {
            recheck = ROLLOUT_RECHECK;
        }
        return new Result(status, recheck, failures);
    }

    /** One step of the leader-last rollout; the set and its pods are read live (see {@link LeaderLastRollout}). */
    private LeaderLastRollout.Step roll(StorageElement element, String leader, ApplyPass pass) {
        ElementNames names = ElementNames.of(element);
        StatefulSet set = live.get(StatefulSet.class, names.namespace(), names.workload());
        if (set == null) {
            return null;
        }
        LeaderLastRollout.Step step = LeaderLastRollout.step(set,
                live.list(Pod.class, names.namespace(), ElementLabels.selector(element)), leader, pass::delete);
        if (step.restarted() != null) {
            events.record(element, "Normal", "PodRestarted", step.condition().message());
        }
        return step;
    }

    private WorkloadState applyWorkload(StorageElement element, boolean replicated, ApplyPass pass,
                                        Certificate certificate) {
        ElementNames names = ElementNames.of(element);
        if (replicated) {
            StatefulSet existing = reader.get(StatefulSet.class, names.namespace(), names.workload());
            ElementMode initial = InitialMode.resolve(existing == null ? null : existing.getSpec().getTemplate(),
                    element.getSpec().mode);
            StatefulSet desired = WorkloadFactory.statefulSet(element, initial);
            if (existing != null) {
                // claim templates are immutable after creation: keep applying the ones the set was created with
                desired.getSpec().setVolumeClaimTemplates(existing.getSpec().getVolumeClaimTemplates());
                switchToOnDelete(existing, pass);
            }
            StatefulSet applied = pass.apply(desired);
            return workloadState(element, applied != null ? applied : existing, certificate);
        }
        Deployment existing = reader.get(Deployment.class, names.namespace(), names.workload());
        PodTemplateSpec template = existing == null ? null : existing.getSpec().getTemplate();
        Deployment applied = pass.apply(WorkloadFactory.deployment(element,
                InitialMode.resolve(template, element.getSpec().mode)));
        return workloadState(element, applied != null ? applied : existing, certificate);
    }

    /**
     * A set created before leader-aware rollouts has RollingUpdate and the API server's default
     * {@code rollingUpdate.partition}; the API server refuses OnDelete next to that field, and server-side apply
     * never removes a field the operator did not apply, so a merge patch removes it, once.
     */
    private static void switchToOnDelete(StatefulSet existing, ApplyPass pass) {
        if (existing.getSpec().getUpdateStrategy() != null
                && existing.getSpec().getUpdateStrategy().getRollingUpdate() != null) {
            pass.mergePatch(existing,
                    "{\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\",\"rollingUpdate\":null}}}");
        }
    }

    private WorkloadState observeWorkload(StorageElement element, boolean replicated, Certificate certificate) {
        ElementNames names = ElementNames.of(element);
        HasMetadata existing = replicated
                ? reader.get(StatefulSet.class, names.namespace(), names.workload())
                : reader.get(Deployment.class, names.namespace(), names.workload());
        return workloadState(element, existing, certificate);
    }

    private WorkloadState workloadState(StorageElement element, HasMetadata workload, Certificate certificate) {
        Rollout rollout = Rollout.of(workload);
        int desired = element.getSpec().replicaMode == ReplicaMode.REPLICATED ? element.getSpec().replicas : 1;
        String leader = rollout.ready() > 0 ? leaders.leader(element, readyPods(element)) : null;
        return new WorkloadState(desired, rollout.ready(), rollout.complete(desired), certificateReady(certificate),
                certificateMessage(certificate), leader, PodFailures.describe(
                        reader.list(Pod.class, element.getMetadata().getNamespace(), ElementLabels.selector(element))));
    }

    /** One Warning Event per distinct blocker: a pass that hits the same refusal again records nothing. */
    private void warnOnce(StorageElement element, Blocker blocker) {
        if (blocker == null) {
            return;
        }
        Condition before = element.getStatus() == null ? null
                : Conditions.find(element.getStatus().conditions, ConditionTypes.READY);
        if (before != null && blocker.reason().equals(before.getReason())
                && blocker.message().equals(before.getMessage())) {
            return;
        }
        events.record(element, "Warning", blocker.reason(), blocker.message());
    }

    private void reconcileRoute(StorageElement element, ApplyPass pass) {
        if (element.getSpec().httpRoute != null) {
            pass.apply(HttpRouteFactory.build(element));
            return;
        }
        HTTPRoute existing = reader.get(HTTPRoute.class, element.getMetadata().getNamespace(),
                ElementNames.of(element).httpRoute());
        if (existing != null && isOwnedBy(existing.getMetadata().getOwnerReferences(), element)) {
            pass.delete(existing);
        }
    }

    /** A PodDisruptionBudget while the element runs several replicas; removed when it no longer does. */
    private void reconcileBudget(StorageElement element, ApplyPass pass) {
        if (DisruptionFactory.wantsBudget(element)) {
            pass.apply(DisruptionFactory.budget(element));
            return;
        }
        PodDisruptionBudget existing = reader.get(PodDisruptionBudget.class, element.getMetadata().getNamespace(),
                ElementNames.of(element).disruptionBudget());
        if (existing != null && isOwnedBy(existing.getMetadata().getOwnerReferences(), element)) {
            pass.delete(existing);
        }
    }

    private List<Pod> readyPods(StorageElement element) {
        return reader.list(Pod.class, element.getMetadata().getNamespace(), ElementLabels.selector(element)).stream()
                .filter(PodReadiness::isReady)
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    private static Boolean certificateReady(Certificate certificate) {
        CertificateCondition ready = readyCondition(certificate);
        return ready == null ? null : "True".equals(ready.getStatus());
    }

    private static String certificateMessage(Certificate certificate) {
        CertificateCondition ready = readyCondition(certificate);
        return ready == null ? "waiting for cert-manager" : ready.getMessage();
    }

    private static CertificateCondition readyCondition(Certificate certificate) {
        if (certificate == null || certificate.getStatus() == null || certificate.getStatus().getConditions() == null) {
            return null;
        }
        return certificate.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }

    private static boolean isOwnedBy(List<io.fabric8.kubernetes.api.model.OwnerReference> refs, StorageElement element) {
        return refs != null && refs.stream().anyMatch(r -> Objects.equals(r.getUid(), element.getMetadata().getUid()));
    }

}
