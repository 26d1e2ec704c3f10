package io.artsore.operator.support;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.reconcile.ElementLabels;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Helpers that play the parts of a real cluster the mock server lacks (CRD install, kubelet readiness). */
public final class MockCluster {
    public static final String REVISION_LABEL = "controller-revision-hash";
    public static final Path CRD_FILE = Path.of("..", "crds", "storageelements.artsore.io-v1.yml");

    private MockCluster() {
    }

    public static CustomResourceDefinition installCrd(KubernetesClient client) throws IOException {
        try (InputStream in = Files.newInputStream(CRD_FILE)) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
            return client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
        }
    }

    /** What the kubelet and the Deployment controller would report once the pod is ready. */
    public static void markDeploymentReady(KubernetesClient client, String namespace, String name) {
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        deployment.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1)
                .withUpdatedReplicas(1).withAvailableReplicas(1)
                .withObservedGeneration(deployment.getMetadata().getGeneration()).build());
        client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }

    /**
     * What the cluster reports once a standalone element in {@link Elements#NAMESPACE} is up: its Deployment and
     * Certificate ready and one ready pod, {@code <name>-abc12}. The tests that need a Ready element all start so.
     */
    public static void markStandaloneElementUp(KubernetesClient client, StorageElement element) {
        String name = element.getMetadata().getName();
        markDeploymentReady(client, Elements.NAMESPACE, name);
        markCertificateReady(client, Elements.NAMESPACE, name);
        addReadyPod(client, element, name + "-abc12");
    }

    /** What cert-manager reports once the certificate is issued. */
    public static void markCertificateReady(KubernetesClient client, String namespace, String name) {
        Certificate certificate = client.resources(Certificate.class).inNamespace(namespace).withName(name).get();
        certificate.setStatus(new CertificateStatusBuilder().addNewCondition().withType("Ready").withStatus("True")
                .withReason("Ready").withMessage("Certificate is up to date and has not expired").endCondition()
                .build());
        client.resources(Certificate.class).inNamespace(namespace).resource(certificate).updateStatus();
    }

    /** A running, ready pod of the element, as the workload controller and the kubelet would make it. */
    public static Pod addReadyPod(KubernetesClient client, StorageElement element, String podName) {
        return addPod(client, element, podName, null, true);
    }

    /**
     * A running pod of the element as the StatefulSet controller creates it (its revision in the
     * {@code controller-revision-hash} label; none when null) and the kubelet reports it (Ready True or False).
     */
    public static Pod addPod(KubernetesClient client, StorageElement element, String podName, String revision,
                             boolean ready) {
        Map<String, String> labels = new LinkedHashMap<>(ElementLabels.all(element));
        if (revision != null) {
            labels.put(REVISION_LABEL, revision);
        }
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace(element.getMetadata().getNamespace())
                    .withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("storage-element").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus()
                .build();
        return client.resource(pod).create();
    }

    /** What the kubelet reports once the pod's readiness probe passes. */
    public static void markPodReady(KubernetesClient client, String namespace, String podName) {
        client.pods().inNamespace(namespace).withName(podName).editStatus(p -> new PodBuilder(p).editStatus()
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                .endStatus().build());
    }

    /**
     * What the StatefulSet controller reports: it has seen the set's current generation, the template's revision is
     * {@code updateRevision}, and its replica counts are those of the element's pods as they are now.
     */
    public static void reportStatefulSet(KubernetesClient client, StorageElement element, String updateRevision) {
        String namespace = element.getMetadata().getNamespace();
        String name = element.getMetadata().getName();
        List<Pod> pods = client.pods().inNamespace(namespace).withLabels(ElementLabels.selector(element)).list()
                .getItems();
        int ready = (int) pods.stream().filter(p -> p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))).count();
        int updated = (int) pods.stream()
                .filter(p -> updateRevision.equals(p.getMetadata().getLabels().get(REVISION_LABEL))).count();
        StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        set.setStatus(new StatefulSetStatusBuilder().withReplicas(pods.size()).withReadyReplicas(ready)
                .withUpdatedReplicas(updated).withUpdateRevision(updateRevision)
                .withCurrentRevision(updated == pods.size() ? updateRevision : null)
                .withObservedGeneration(set.getMetadata().getGeneration()).build());
        client.apps().statefulSets().inNamespace(namespace).resource(set).updateStatus();
    }

    /**
     * A pod's WAL claim as the StatefulSet controller creates it from the {@code wal} claim template
     * ({@code wal-<pod>}, the template's labels), bound at {@code size}.
     */
    public static PersistentVolumeClaim addWalClaim(KubernetesClient client, StorageElement element, String podName,
                                                    String size) {
        PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("wal-" + podName).withNamespace(element.getMetadata().getNamespace())
                    .withLabels(ElementLabels.selector(element)).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .withNewStatus().withPhase("Bound").addToCapacity("storage", new Quantity(size)).endStatus()
                .build();
        return client.resource(claim).create();
    }

    /** What the volume resizer reports once the storage class has expanded the claim's volume. */
    public static void reportClaimCapacity(KubernetesClient client, String namespace, String claim, String size) {
        client.persistentVolumeClaims().inNamespace(namespace).withName(claim).editStatus(c ->
                new PersistentVolumeClaimBuilder(c).editStatus().addToCapacity("storage", new Quantity(size))
                        .endStatus().build());
    }

    /**
     * The part of Kubernetes garbage collection the mock lacks: deletes every object in the namespace whose
     * owner references name the deleted owner's uid.
     */
    public static void collectGarbage(KubernetesClient client, String namespace, String ownerUid) {
        List<HasMetadata> candidates = new ArrayList<>();
        candidates.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        candidates.addAll(client.apps().statefulSets().inNamespace(namespace).list().getItems());
        candidates.addAll(client.services().inNamespace(namespace).list().getItems());
        candidates.addAll(client.persistentVolumeClaims().inNamespace(namespace).list().getItems());
        candidates.addAll(client.resources(Certificate.class).inNamespace(namespace).list().getItems());
        for (HasMetadata object : candidates) {
            List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
            if (refs != null && refs.stream().anyMatch(r -> ownerUid.equals(r.getUid()))) {
                client.resource(object).delete();
            }
        }
    }

    public static void markStatefulSetReady(KubernetesClient client, String namespace, String name, int ready) {
        StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        set.setStatus(new StatefulSetStatusBuilder().withReplicas(ready).withReadyReplicas(ready)
                .withUpdatedReplicas(ready).withObservedGeneration(set.getMetadata().getGeneration()).build());
        client.apps().statefulSets().inNamespace(namespace).resource(set).updateStatus();
    }
}
