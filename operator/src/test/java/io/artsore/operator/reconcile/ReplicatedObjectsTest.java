package io.artsore.operator.reconcile;

import static io.artsore.operator.reconcile.StandaloneObjectsTest.env;
import static io.artsore.operator.reconcile.StandaloneObjectsTest.names;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ReconcileHarness;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.artsore.operator.support.MockApiServer;
import org.junit.jupiter.api.extension.ExtendWith;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@ExtendWith(MockApiServer.class)
class ReplicatedObjectsTest {
    KubernetesClient client;

    @BeforeEach
    void setUp() throws Exception {
        MockCluster.installCrd(client);
        ReconcileHarness harness = new ReconcileHarness(client, URI.create("http://127.0.0.1:9"));
        harness.create(Elements.replicated("se-edit-1", ElementMode.EDIT, 2));
        harness.reconcile("se-edit-1");
    }

    @Test
    void replicatedResourceProducesStatefulSetHeadlessServiceAndSharedClaim() {
        String ns = Elements.NAMESPACE;
        assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(names(client.apps().statefulSets().inNamespace(ns).list().getItems())).containsExactly("se-edit-1");
        assertThat(names(client.services().inNamespace(ns).list().getItems()))
                .containsExactlyInAnyOrder("se-edit-1", "se-edit-1-headless");
        assertThat(names(client.persistentVolumeClaims().inNamespace(ns).list().getItems()))
                .containsExactly("se-edit-1-data");
        PersistentVolumeClaim data = client.persistentVolumeClaims().inNamespace(ns).withName("se-edit-1-data").get();
        assertThat(data.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    }

    @Test
    void statefulSetSharesDataAndGivesEachPodItsOwnWal() {
        StatefulSet set = statefulSet();
        assertThat(set.getSpec().getReplicas()).isEqualTo(2);
        assertThat(set.getSpec().getServiceName()).isEqualTo("se-edit-1-headless");
        assertThat(set.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(
                "app.kubernetes.io/name", "storage-element", "app.kubernetes.io/instance", "se-edit-1"));
        assertThat(set.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(t -> {
            assertThat(t.getMetadata().getName()).isEqualTo("wal");
            assertThat(t.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        });
        assertThat(set.getSpec().getTemplate().getSpec().getVolumes()).extracting(Volume::getName)
                .containsExactlyInAnyOrder("data", "certs", "tmp");
        assertThat(set.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    }

    @Test
    void podsAdvertiseTheirHeadlessDnsNameThroughTheDownwardApi() {
        Container container = statefulSet().getSpec().getTemplate().getSpec().getContainers().getFirst();
        EnvVar podName = container.getEnv().getFirst();
        assertThat(podName.getName()).isEqualTo("POD_NAME");
        assertThat(podName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env(container))
                .containsEntry("SE_REPLICA_MODE", "replicated")
                .containsEntry("SE_MODE", "edit")
                .containsEntry("SE_ADVERTISED_ADDRESS",
                        "$(POD_NAME).se-edit-1-headless.storage.svc.cluster.local:8010");
    }

    @Test
    void headlessServicePublishesNotReadyPods() {
        Service headless = client.services().inNamespace(Elements.NAMESPACE).withName("se-edit-1-headless").get();
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getName()).isEqualTo("se-edit-1"));
    }

    @Test
    void certificateAlsoCoversEveryPodThroughTheHeadlessWildcard() {
        Certificate certificate = client.resources(Certificate.class).inNamespace(Elements.NAMESPACE)
                .withName("se-edit-1").get();
        assertThat(certificate.getSpec().getDnsNames()).contains(
                "se-edit-1.storage.svc.cluster.local",
                "se-edit-1-headless.storage.svc.cluster.local",
                "*.se-edit-1-headless.storage.svc.cluster.local",
                "*.se-edit-1-headless.storage.svc");
    }

    private StatefulSet statefulSet() {
        return client.apps().statefulSets().inNamespace(Elements.NAMESPACE).withName("se-edit-1").get();
    }
}
