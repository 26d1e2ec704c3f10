package io.artsore.operator.standin;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet and the workload controllers, as far as the stand-in plays them: each Deployment and StatefulSet
 * in the mock API server becomes pods there and containers in podman; probes run on their periods; status goes
 * back to the API server (pods, then workloads). One {@link #sync()} is one pass; the caller repeats it.
 * Deployments replace their pod the Recreate way; a StatefulSet replaces one pod at a time from the highest
 * ordinal, and only while all its other pods are ready. A Job runs its pod template to completion: a failed pod
 * (restartPolicy Never) is followed by a new one until {@code backoffLimit}; finished pods stay until the Job goes.
 */
final class StandInKubelet {
    private static final System.Logger LOG = System.getLogger(StandInKubelet.class.getName());

    private final KubernetesClient client;
    private final Podman podman;
    private final String network;
    private final PodVolumes volumes;
    private final ProbeRunner probes;
    private final ServiceDns dns;
    private final Map<String, RunningPod> pods = new LinkedHashMap<>();
    private final List<String> hookFailures = new ArrayList<>();

    StandInKubelet(KubernetesClient client, Podman podman, String network, PodVolumes volumes, ServiceDns dns) {
        this.client = client;
        this.podman = podman;
        this.network = network;
        this.volumes = volumes;
        this.probes = new ProbeRunner(podman);
        this.dns = dns;
    }

    /** A pod a workload asks for. */
    private record WantedPod(String namespace, String name, String ownerApiVersion, String ownerKind, String ownerName, String ownerUid,
                             String templateHash, PodTemplateSpec template, String subdomain,
                             Map<String, String> claimTemplates, boolean orderedReady, boolean onDelete) {
    }

    /** Containers of the stand-in by pod name ("namespace/name"), for the flows. */
    synchronized Map<String, String> containerIds() {
        Map<String, String> ids = new LinkedHashMap<>();
        pods.forEach((k, p) -> ids.put(k, p.containerId));
        return ids;
    }

    /** The preStop hooks that failed so far (FailedPreStopHook). */
    synchronized List<String> hookFailures() {
        return List.copyOf(hookFailures);
    }

    synchronized void sync() throws Exception {
        Map<String, WantedPod> wanted = wantedPods();
        for (RunningPod pod : List.copyOf(pods.values())) {
            WantedPod want = wanted.get(pod.key());
            boolean deletedByUser = client.pods().inNamespace(pod.namespace).withName(pod.name).get() == null;
            if (want == null || deletedByUser) {
                delete(pod);
            } else if (!want.onDelete() && !want.templateHash().equals(pod.templateHash) && mayReplace(pod, wanted)) {
                delete(pod);
            }
        }
        List<Service> services = client.services().inAnyNamespace().list().getItems();
        for (WantedPod want : wanted.values()) {
            String key = want.namespace() + "/" + want.name();
            if (!pods.containsKey(key) && previousReady(want)) {
                start(want, services);
            }
        }
        for (RunningPod pod : pods.values()) {
            pod.observe(podman, probes);
            writePodStatus(pod);
        }
        writeWorkloadStatus();
        dns.write(services, pods.values().stream().map(RunningPod::address).toList());
    }

    /** Stops every container (preStop first), as a node drain would. */
    synchronized void stopAll() {
        for (RunningPod pod : List.copyOf(pods.values())) {
            try {
                delete(pod);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "stopping " + pod.key() + ": " + e.getMessage());
            }
        }
    }

    private Map<String, WantedPod> wantedPods() {
        Map<String, WantedPod> wanted = new LinkedHashMap<>();
        for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
            int replicas = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas() : 1;
            String hash = TemplateHash.of(d.getSpec().getTemplate());
            for (int i = 0; i < replicas; i++) {
                // Deployment pods are named after the template, so a new template means new pods
                String name = d.getMetadata().getName() + "-" + hash + (replicas > 1 ? "-" + i : "");
                wanted.put(d.getMetadata().getNamespace() + "/" + name, new WantedPod(d.getMetadata().getNamespace(),
                        name, "apps/v1", "Deployment", d.getMetadata().getName(), d.getMetadata().getUid(), hash,
                        d.getSpec().getTemplate(), null, Map.of(), false, false));
            }
        }
        for (StatefulSet s : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
            int replicas = s.getSpec().getReplicas() != null ? s.getSpec().getReplicas() : 1;
            String hash = TemplateHash.of(s.getSpec().getTemplate());
            for (int i = 0; i < replicas; i++) {
                String name = s.getMetadata().getName() + "-" + i;
                Map<String, String> claims = new HashMap<>();
                s.getSpec().getVolumeClaimTemplates().forEach(t -> claims.put(t.getMetadata().getName(),
                        t.getMetadata().getName() + "-" + name));
                wanted.put(s.getMetadata().getNamespace() + "/" + name, new WantedPod(s.getMetadata().getNamespace(),
                        name, "apps/v1", "StatefulSet", s.getMetadata().getName(), s.getMetadata().getUid(), hash,
                        s.getSpec().getTemplate(), s.getSpec().getServiceName(), claims,
                        !"Parallel".equals(s.getSpec().getPodManagementPolicy()),
                        s.getSpec().getUpdateStrategy() != null
                                && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType())));
            }
        }
        for (Job j : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
            int failed = j.getStatus() != null && j.getStatus().getFailed() != null ? j.getStatus().getFailed() : 0;
            int backoffLimit = j.getSpec().getBackoffLimit() != null ? j.getSpec().getBackoffLimit() : 6;
            String hash = TemplateHash.of(j.getSpec().getTemplate());
            // attempt n starts once n pods failed; attempts past backoffLimit are not made (the Job has failed)
            for (int attempt = 0; attempt <= Math.min(failed, backoffLimit); attempt++) {
                String name = j.getMetadata().getName() + "-" + hash + "-" + attempt;
                wanted.put(j.getMetadata().getNamespace() + "/" + name, new WantedPod(j.getMetadata().getNamespace(),
                        name, "batch/v1", "Job", j.getMetadata().getName(), j.getMetadata().getUid(), hash,
                        j.getSpec().getTemplate(), null, Map.of(), false, false));
            }
        }
        return wanted;
    }

    /** RollingUpdate of a StatefulSet: the highest outdated ordinal goes first, and only when all others are ready. */
    private boolean mayReplace(RunningPod pod, Map<String, WantedPod> wanted) {
        if (!"StatefulSet".equals(pod.ownerKind)) {
            return true;
        }
        for (RunningPod other : pods.values()) {
            if (other != pod && other.ownerName.equals(pod.ownerName) && other.namespace.equals(pod.namespace)) {
                WantedPod want = wanted.get(other.key());
                boolean outdated = want != null && !want.templateHash().equals(other.templateHash);
                if (!other.ready || (outdated && other.name.compareTo(pod.name) > 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** OrderedReady (the StatefulSet default) starts pod n once pod n-1 is ready; Parallel starts all at once. */
    private boolean previousReady(WantedPod want) {
        if (!want.orderedReady()) {
            return true;
        }
        int ordinal = Integer.parseInt(want.name().substring(want.name().lastIndexOf('-') + 1));
        if (ordinal == 0) {
            return true;
        }
        RunningPod previous = pods.get(want.namespace() + "/" + want.ownerName() + "-" + (ordinal - 1));
        return previous != null && previous.ready;
    }

    private void start(WantedPod want, List<Service> services) throws Exception {
        PodTemplateSpec template = want.template();
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
        if ("StatefulSet".equals(want.ownerKind())) {
            // the revision the pod was made from, as status.updateRevision names it (an OnDelete rollout compares them)
            labels.put("controller-revision-hash", want.ownerName() + "-" + want.templateHash());
        }
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(want.name()).withNamespace(want.namespace())
                    .withLabels(labels)
                    .withAnnotations(template.getMetadata().getAnnotations())
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(want.ownerApiVersion())
                            .withKind(want.ownerKind()).withName(want.ownerName()).withUid(want.ownerUid())
                            .withController(true).build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
        pod.getSpec().setHostname(want.subdomain() != null ? want.name() : null);
        pod.getSpec().setSubdomain(want.subdomain());
        // volumeClaimTemplates become claims named <template>-<pod>, which the StatefulSet controller creates
        for (Map.Entry<String, String> claim : want.claimTemplates().entrySet()) {
            pod.getSpec().getVolumes().add(new VolumeBuilder()
                    .withName(claim.getKey()).withNewPersistentVolumeClaim().withClaimName(claim.getValue())
                    .endPersistentVolumeClaim().build());
            ensureClaim(want, claim.getKey(), claim.getValue());
        }
        Map<String, String> sources = volumes.prepare(pod);
        if (sources == null) {
            return;     // ContainerCreating: a claim or Secret is not there yet
        }
        if (client.pods().inNamespace(want.namespace()).withName(want.name()).get() == null) {
            pod.setStatus(new PodStatusBuilder().withPhase("Pending").build());
            client.resource(pod).create();
        }
        Container container = pod.getSpec().getContainers().get(0);
        ServiceDns.PodAddress address = new ServiceDns.PodAddress(want.namespace(), want.name(),
                template.getMetadata().getLabels(), want.subdomain(), null, false);
        String containerName = "standin-" + podman.runId() + "-" + want.namespace() + "-" + want.name();
        List<String> args = PodmanRunArgs.of(pod, container, containerName, network,
                ServiceDns.aliases(address, services), sources,
                ref -> secretValue(want.namespace(), ref.getSecretKeyRef().getName(), ref.getSecretKeyRef().getKey()),
                List.of(podman.label(), "artsore.standin.pod=" + want.namespace() + "/" + want.name()));
        String id = podman.run(args);
        RunningPod running = new RunningPod(pod, container, want.ownerKind(), want.ownerName(), want.templateHash(),
                containerName, id);
        pods.put(running.key(), running);
        LOG.log(System.Logger.Level.INFO, "started pod " + running.key() + " as " + containerName);
    }

    private void ensureClaim(WantedPod want, String template, String claim) {
        if (client.persistentVolumeClaims().inNamespace(want.namespace()).withName(claim).get() != null) {
            return;
        }
        StatefulSet set = client.apps().statefulSets().inNamespace(want.namespace()).withName(want.ownerName()).get();
        set.getSpec().getVolumeClaimTemplates().stream().filter(t -> t.getMetadata().getName().equals(template))
                .findFirst().ifPresent(t -> client.persistentVolumeClaims().inNamespace(want.namespace())
                        .resource(new PersistentVolumeClaimBuilder()
                                .withNewMetadata().withName(claim).withNamespace(want.namespace())
                                .withLabels(t.getMetadata().getLabels()).endMetadata()
                                .withSpec(t.getSpec()).build()).create());
    }

    private String secretValue(String namespace, String name, String key) {
        var secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
            return null;
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(key)),
                StandardCharsets.UTF_8);
    }

    /** Like a pod deletion: out of the Service names first (terminating pods are not endpoints), then preStop and stop. */
    private void delete(RunningPod pod) throws Exception {
        pod.ready = false;
        writePodStatus(pod);
        dns.write(client.services().inAnyNamespace().list().getItems(),
                pods.values().stream().map(RunningPod::address).toList());
        String hookFailure = pod.stop(podman);
        if (hookFailure != null) {
            hookFailures.add(hookFailure);
        }
        volumes.release(pod.pod);
        client.pods().inNamespace(pod.namespace).withName(pod.name).delete();
        pods.remove(pod.key());
        LOG.log(System.Logger.Level.INFO, "deleted pod " + pod.key());
    }

    private void writePodStatus(RunningPod pod) {
        PodStatus status = pod.status();
        if (status.equals(pod.writtenStatus)) {
            return;
        }
        Pod current = client.pods().inNamespace(pod.namespace).withName(pod.name).get();
        if (current == null) {
            return;
        }
        current.setStatus(status);
        client.pods().inNamespace(pod.namespace).resource(current).updateStatus();
        pod.writtenStatus = status;
    }

    private void writeWorkloadStatus() {
        for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
            Counts c = counts(d.getMetadata().getNamespace(), d.getMetadata().getName(),
                    TemplateHash.of(d.getSpec().getTemplate()));
            var status = new DeploymentStatusBuilder().withReplicas(c.all).withReadyReplicas(c.ready)
                    .withUpdatedReplicas(c.updated).withAvailableReplicas(c.ready)
                    .withObservedGeneration(d.getMetadata().getGeneration()).build();
            if (!status.equals(d.getStatus())) {
                d.setStatus(status);
                client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).updateStatus();
            }
        }
        for (StatefulSet s : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
            String hash = TemplateHash.of(s.getSpec().getTemplate());
            Counts c = counts(s.getMetadata().getNamespace(), s.getMetadata().getName(), hash);
            var status = new StatefulSetStatusBuilder().withReplicas(c.all).withReadyReplicas(c.ready)
                    .withUpdatedReplicas(c.updated).withCurrentReplicas(c.updated).withAvailableReplicas(c.ready)
                    .withUpdateRevision(s.getMetadata().getName() + "-" + hash)
                    .withObservedGeneration(s.getMetadata().getGeneration()).build();
            if (!status.equals(s.getStatus())) {
                s.setStatus(status);
                client.apps().statefulSets().inNamespace(s.getMetadata().getNamespace()).resource(s).updateStatus();
            }
        }
        for (Job j : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
            writeJobStatus(j);
        }
    }

    /** succeeded/failed pod counts, and the Complete or Failed condition once the Job is finished. */
    private void writeJobStatus(Job job) {
        int succeeded = 0;
        int failed = 0;
        int active = 0;
        for (RunningPod pod : pods.values()) {
            if (pod.namespace.equals(job.getMetadata().getNamespace()) && pod.ownerKind.equals("Job")
                    && pod.ownerName.equals(job.getMetadata().getName())) {
                Boolean result = pod.succeeded();
                succeeded += Boolean.TRUE.equals(result) ? 1 : 0;
                failed += Boolean.FALSE.equals(result) ? 1 : 0;
                active += result == null ? 1 : 0;
            }
        }
        int backoffLimit = job.getSpec().getBackoffLimit() != null ? job.getSpec().getBackoffLimit() : 6;
        var status = new JobStatusBuilder().withActive(active).withSucceeded(succeeded).withFailed(failed);
        if (succeeded > 0) {
            status.addNewCondition().withType("Complete").withStatus("True").endCondition();
        } else if (failed > backoffLimit) {
            status.addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                    .endCondition();
        }
        var built = status.build();
        if (!built.equals(job.getStatus())) {
            job.setStatus(built);
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).updateStatus();
        }
    }

    private record Counts(int all, int ready, int updated) {
    }

    private Counts counts(String namespace, String owner, String hash) {
        int all = 0;
        int ready = 0;
        int updated = 0;
        for (RunningPod pod : pods.values()) {
            if (pod.namespace.equals(namespace) && pod.ownerName.equals(owner)) {
                all++;
                ready += pod.ready ? 1 : 0;
                updated += pod.templateHash.equals(hash) ? 1 : 0;
            }
        }
        return new Counts(all, ready, updated);
    }
}
