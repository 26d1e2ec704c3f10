package io.artsore.operator.support;

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
                .withAvailableReplicas(1).build());
        client.apps().deployments().inNamespace(namespace).resource(deployment).updateStatus();
    }

    public static void markStatefulSetReady(KubernetesClient client, String namespace, String name, int ready) {
        StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        set.setStatus(new StatefulSetStatusBuilder().withReplicas(ready).withReadyReplicas(ready).build());
        client.apps().statefulSets().inNamespace(namespace).resource(set).updateStatus();
    }
}
