package io.artsore.operator.reconcile;

import static io.artsore.operator.reconcile.StandaloneObjectsTest.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.HttpRouteSpec;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.MockCluster;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import org.junit.jupiter.api.Test;

class UpdatesAndStatusTest extends ReconcileTestBase {
    UpdatesAndStatusTest() {
        super("se-rw-1");
    }

    @Test
    void imageAndResourceChangesPatchTheDeployment() {
        harness.create(Elements.minimal("se-rw-1", ElementMode.RW));
        harness.reconcile("se-rw-1");
        harness.edit("se-rw-1", e -> {
            e.getSpec().image = "artsore/storage-element:2.0.0";
            e.getSpec().pod.resources = new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity("1")).addToLimits("memory", new Quantity("4Gi")).build();
        });
        harness.reconcile("se-rw-1");

        assertThat(deployment().getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        assertThat(deployment().getMetadata().getOwnerReferences()).hasSize(1);
        var container = deployment().getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("artsore/storage-element:2.0.0");
        assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("1"));
        assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
    }

    @Test
    void replicasChangePatchesTheStatefulSet() {
        harness.create(Elements.replicated("se-edit-1", ElementMode.EDIT, 2));
        harness.reconcile("se-edit-1");
        harness.edit("se-edit-1", e -> e.getSpec().replicas = 3);
        harness.reconcile("se-edit-1");

        assertThat(client.apps().statefulSets().inNamespace(Elements.NAMESPACE).withName("se-edit-1").get()
                .getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void unchangedSpecWritesNothing() {
        harness.create(Elements.minimal("se-rw-1", ElementMode.RW));
        harness.reconcile("se-rw-1");
        String version = deployment().getMetadata().getResourceVersion();
        int writes = harness.statusWrites();

        harness.reconcile("se-rw-1");

        assertThat(deployment().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(harness.statusWrites()).isEqualTo(writes);
    }

    @Test
    void changingTheModeNeverChangesThePodTemplate() {
        harness.create(Elements.withTokenSecret(Elements.minimal("se-rw-1", ElementMode.RW)));
        harness.reconcile("se-rw-1");
        var before = deployment().getSpec().getTemplate();

        harness.edit("se-rw-1", e -> e.getSpec().mode = ElementMode.RO);
        harness.reconcile("se-rw-1");

        assertThat(deployment().getSpec().getTemplate()).isEqualTo(before);
        assertThat(env(deployment().getSpec().getTemplate().getSpec().getContainers().getFirst()))
                .containsEntry("SE_MODE", "rw");
    }

    @Test
    void claimsAreOwnedOnlyWhenRetainOnDeleteIsFalse() {
        StorageElement resource = Elements.minimal("se-tmp", ElementMode.EDIT);
        resource.getSpec().storage.retainOnDelete = false;
        harness.create(resource);
        harness.reconcile("se-tmp");

        assertThat(client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).list().getItems())
                .hasSize(2)
                .allSatisfy(pvc -> assertThat(pvc.getMetadata().getOwnerReferences()).singleElement()
                        .satisfies(r -> assertThat(r.getName()).isEqualTo("se-tmp")));
    }

    @Test
    void deletingTheElementKeepsRetainedClaims() {
        harness.create(Elements.minimal("se-rw-1", ElementMode.RW));
        harness.reconcile("se-rw-1");
        String uid = harness.get("se-rw-1").getMetadata().getUid();

        client.resource(harness.get("se-rw-1")).delete();
        MockCluster.collectGarbage(client, Elements.NAMESPACE, uid);

        assertThat(client.apps().deployments().inNamespace(Elements.NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.services().inNamespace(Elements.NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).list().getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("se-rw-1-data", "se-rw-1-wal");
    }

    @Test
    void httpRouteIsCreatedWhenAskedAndRemovedWhenNot() {
        StorageElement resource = Elements.minimal("se-rw-1", ElementMode.RW);
        resource.getSpec().httpRoute = new HttpRouteSpec();
        resource.getSpec().httpRoute.gatewayName = "eg";
        resource.getSpec().httpRoute.gatewayNamespace = "envoy-gateway-system";
        resource.getSpec().httpRoute.hostname = "se-01.example.org";
        harness.create(resource);
        harness.reconcile("se-rw-1");

        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(Elements.NAMESPACE).withName("se-rw-1").get();
        assertThat(route.getSpec().getHostnames()).containsExactly("se-01.example.org");
        assertThat(route.getSpec().getParentRefs()).singleElement()
                .satisfies(p -> assertThat(p.getName()).isEqualTo("eg"));
        assertThat(route.getSpec().getRules().getFirst().getBackendRefs()).singleElement().satisfies(b -> {
            assertThat(b.getName()).isEqualTo("se-rw-1");
            assertThat(b.getPort()).isEqualTo(8010);
        });

        harness.edit("se-rw-1", e -> e.getSpec().httpRoute = null);
        harness.reconcile("se-rw-1");
        assertThat(client.resources(HTTPRoute.class).inNamespace(Elements.NAMESPACE).withName("se-rw-1").get()).isNull();
    }

    @Test
    void statusFollowsPodsElementAndCertificate() {
        harness.create(Elements.minimal("se-rw-1", ElementMode.RW));
        harness.reconcile("se-rw-1");
        StorageElement pending = harness.get("se-rw-1");
        assertThat(pending.getStatus().phase).isEqualTo("Progressing");
        assertThat(pending.getStatus().observedGeneration).isEqualTo(pending.getMetadata().getGeneration());
        assertThat(Conditions.find(pending.getStatus().conditions, "Ready").getStatus()).isEqualTo("False");
        assertThat(Conditions.find(pending.getStatus().conditions, "ModeSynced").getStatus()).isEqualTo("Unknown");
        assertThat(Conditions.find(pending.getStatus().conditions, "CertificateReady").getStatus()).isEqualTo("Unknown");

        MockCluster.markStandaloneElementUp(client, harness.get("se-rw-1"));
        harness.reconcile("se-rw-1");

        StorageElement running = harness.get("se-rw-1");
        assertThat(running.getStatus().phase).isEqualTo("Running");
        assertThat(running.getStatus().mode).isEqualTo("rw");
        assertThat(running.getStatus().readyReplicas).isEqualTo(1);
        assertThat(running.getStatus().leader).isEqualTo("se-rw-1-abc12");
        assertThat(running.getStatus().capacity.totalBytes).isEqualTo(1000L);
        assertThat(running.getStatus().capacity.availableBytes).isEqualTo(750L);
        assertThat(running.getStatus().conditions).extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly("Ready=True", "ModeSynced=True", "CertificateReady=True");
        assertThat(running.getStatus().conditions).allSatisfy(c -> {
            assertThat(c.getObservedGeneration()).isEqualTo(running.getMetadata().getGeneration());
            assertThat(c.getLastTransitionTime()).isNotBlank();
            assertThat(c.getReason()).isNotBlank();
        });
    }

    @Test
    void readyWaitsForTheRolloutOfTheCurrentSpecAndForTheElementInSpecMode() {
        harness.create(Elements.minimal("se-rw-1", ElementMode.RW));
        harness.reconcile("se-rw-1");
        MockCluster.markStandaloneElementUp(client, harness.get("se-rw-1"));
        harness.reconcile("se-rw-1");
        assertThat(ready().getStatus()).isEqualTo("True");

        // a new image: the Deployment's new generation is not rolled out yet
        harness.edit("se-rw-1", e -> e.getSpec().image = "artsore/storage-element:2.0.0");
        harness.reconcile("se-rw-1");
        assertThat(ready().getStatus()).isEqualTo("False");
        assertThat(ready().getReason()).isEqualTo("RolloutInProgress");
        MockCluster.markDeploymentReady(client, Elements.NAMESPACE, "se-rw-1");
        harness.reconcile("se-rw-1");
        assertThat(ready().getReason()).isEqualTo("Online");

        // spec.mode the element does not report (no token to move it): not Ready
        harness.edit("se-rw-1", e -> e.getSpec().mode = ElementMode.RO);
        harness.reconcile("se-rw-1");
        assertThat(ready().getStatus()).isEqualTo("False");
        assertThat(ready().getReason()).isEqualTo("ModeNotSynced");
    }

    private io.fabric8.kubernetes.api.model.Condition ready() {
        return Conditions.find(harness.get("se-rw-1").getStatus().conditions, "Ready");
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace(Elements.NAMESPACE).withName("se-rw-1").get();
    }
}
