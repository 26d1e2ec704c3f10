package io.artsore.operator.reconcile;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.ReplicaMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementStatus;
import io.artsore.operator.mode.LeaderLocator;
import io.artsore.operator.mode.ModeSyncOutcome;
import io.artsore.operator.mode.ModeSynchronizer;
import io.artsore.operator.status.StatusFactory;
import io.artsore.operator.status.WorkloadState;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** One reconcile of one StorageElement: derived objects, then mode, then the next status. */
public class ElementSync {
    static final Duration NOT_READY_RECHECK = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final ResourceApplier applier;
    private final ModeSynchronizer modes;
    private final LeaderLocator leaders;
    private final StatusFactory statuses;
    private final EventRecorder events;

    public ElementSync(KubernetesClient client, ModeSynchronizer modes, LeaderLocator leaders,
                       StatusFactory statuses, EventRecorder events) {
        this.client = client;
        this.applier = new ResourceApplier(client);
        this.modes = modes;
        this.leaders = leaders;
        this.statuses = statuses;
        this.events = events;
    }

    public record Result(StorageElementStatus status, Duration recheckAfter) {
    }

    public Result reconcile(StorageElement element) {
        ElementNames names = ElementNames.of(element);
        boolean replicated = element.getSpec().replicaMode == ReplicaMode.REPLICATED;

        Certificate certificate = applier.apply(CertificateFactory.build(element));
        applier.apply(ServiceFactory.clusterIp(element));
        applier.apply(ClaimFactory.data(element));
        int desiredReplicas;
        int readyReplicas;
        if (replicated) {
            applier.apply(ServiceFactory.headless(element));
            StatefulSet existing = client.apps().statefulSets().inNamespace(names.namespace())
                    .withName(names.workload()).get();
            ElementMode initial = InitialMode.resolve(existing == null ? null : existing.getSpec().getTemplate(),
                    element.getSpec().mode);
            StatefulSet desired = WorkloadFactory.statefulSet(element, initial);
            if (existing != null) {
                // claim templates are immutable after creation: keep applying the ones the set was created with
                desired.getSpec().setVolumeClaimTemplates(existing.getSpec().getVolumeClaimTemplates());
            }
            StatefulSet applied = applier.apply(desired);
            desiredReplicas = element.getSpec().replicas;
            readyReplicas = applied.getStatus() == null ? 0 : zeroIfNull(applied.getStatus().getReadyReplicas());
        } else {
            applier.apply(ClaimFactory.wal(element));
            Deployment existing = client.apps().deployments().inNamespace(names.namespace())
                    .withName(names.workload()).get();
            PodTemplateSpec template = existing == null ? null : existing.getSpec().getTemplate();
            Deployment applied = applier.apply(WorkloadFactory.deployment(element,
                    InitialMode.resolve(template, element.getSpec().mode)));
            desiredReplicas = 1;
            readyReplicas = applied.getStatus() == null ? 0 : zeroIfNull(applied.getStatus().getReadyReplicas());
        }
        reconcileRoute(element);

        ModeSyncOutcome mode = readyReplicas > 0 ? modes.sync(element, element.getStatus()) : null;
        if (mode != null && mode.event() != null) {
            events.record(element, mode.event().type(), mode.event().reason(), mode.event().message());
        }
        String leader = readyReplicas > 0 ? leaders.leader(element, readyPods(element)) : null;
        WorkloadState workload = new WorkloadState(desiredReplicas, readyReplicas, certificateReady(certificate),
                certificateMessage(certificate), leader);
        StorageElementStatus status = statuses.next(element, workload, mode);
        return new Result(status, mode != null ? mode.recheckAfter() : NOT_READY_RECHECK);
    }

    private void reconcileRoute(StorageElement element) {
        if (element.getSpec().httpRoute != null) {
            applier.apply(HttpRouteFactory.build(element));
            return;
        }
        HTTPRoute existing = client.resources(HTTPRoute.class).inNamespace(element.getMetadata().getNamespace())
                .withName(ElementNames.of(element).httpRoute()).get();
        if (existing != null && isOwnedBy(existing.getMetadata().getOwnerReferences(), element)) {
            applier.deleteIfPresent(existing);
        }
    }

    private List<Pod> readyPods(StorageElement element) {
        return client.pods().inNamespace(element.getMetadata().getNamespace())
                .withLabels(ElementLabels.selector(element)).list().getItems().stream()
                .filter(ElementSync::isReady)
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
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

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }
}
