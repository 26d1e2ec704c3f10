package io.artsore.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ReconcileHarness;
import io.artsore.operator.support.ServerSideApplyDispatcher;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refusals are visible and do not block other objects; a lost data claim is never recreated silently. */
class ErrorsAndClaimsTest extends ReconcileTestBase {
    private static final String NAME = "se-x";
    private static final String DATA_CLAIM_PATH = "/api/v1/namespaces/" + Elements.NAMESPACE
            + "/persistentvolumeclaims/se-x-data";

    ServerSideApplyDispatcher apiServer;

    ErrorsAndClaimsTest() {
        super(NAME);
    }

    @Test
    void aRefusedClaimPatchShowsInStatusWhileTheImageUpgradeOfTheSameChangeIsApplied() {
        harness.create(Elements.minimal(NAME, ElementMode.RW));
        harness.reconcile(NAME);
        String refusal = "PersistentVolumeClaim \"se-x-data\" is invalid: spec.resources.requests.storage: "
                + "Forbidden: field can not be less than previous value";
        apiServer.failApplies(DATA_CLAIM_PATH, 422, refusal);

        harness.edit(NAME, e -> {
            e.getSpec().storage.dataSize = "1Gi";
            e.getSpec().image = "artsore/storage-element:2.0.0";
        });
        harness.reconcile(NAME);

        assertThat(harness.lastError()).isInstanceOf(ReconcileFailedException.class);
        assertThat(client.apps().deployments().inNamespace(Elements.NAMESPACE).withName(NAME).get().getSpec()
                .getTemplate().getSpec().getContainers().getFirst().getImage())
                .isEqualTo("artsore/storage-element:2.0.0");
        Condition ready = ready();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("ApplyFailed");
        assertThat(ready.getMessage()).contains("PersistentVolumeClaim se-x-data").contains(refusal);
        assertThat(ready.getObservedGeneration()).isEqualTo(harness.get(NAME).getMetadata().getGeneration());
        assertThat(warnings("ApplyFailed")).hasSize(1);

        harness.reconcile(NAME);
        harness.reconcile(NAME);
        assertThat(warnings("ApplyFailed")).as("one Event per distinct refusal, not one per retry").hasSize(1);

        apiServer.stopFailing(DATA_CLAIM_PATH);
        harness.reconcile(NAME);
        assertThat(harness.lastError()).isNull();
        assertThat(ready().getReason()).isNotEqualTo("ApplyFailed");
        assertThat(claim("se-x-data").getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("1Gi");
    }

    @Test
    void aDeletedDataClaimIsNotRecreatedUntilTheUserAsksWithItsUid() {
        harness.create(Elements.minimal(NAME, ElementMode.RW));
        harness.reconcile(NAME);
        String uid = claim("se-x-data").getMetadata().getUid();
        assertThat(harness.get(NAME).getStatus().dataClaims)
                .anySatisfy(c -> assertThat(c.name + "=" + c.uid).isEqualTo("se-x-data=" + uid));

        client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).withName("se-x-data").delete();
        harness.reconcile(NAME);
        harness.reconcile(NAME);

        assertThat(claim("se-x-data")).as("not recreated empty").isNull();
        assertThat(ready().getStatus()).isEqualTo("False");
        assertThat(ready().getReason()).isEqualTo("DataVolumeMissing");
        assertThat(ready().getMessage()).contains(uid).contains(DataClaims.RECREATE_ANNOTATION);
        assertThat(warnings("DataVolumeMissing")).hasSize(1);
        assertThat(harness.get(NAME).getStatus().dataClaims).as("the lost claim stays remembered")
                .anySatisfy(c -> assertThat(c.uid).isEqualTo(uid));

        harness.edit(NAME, e -> e.getMetadata().getAnnotations().put(DataClaims.RECREATE_ANNOTATION, uid));
        harness.reconcile(NAME);

        PersistentVolumeClaim recreated = claim("se-x-data");
        assertThat(recreated).isNotNull();
        assertThat(recreated.getMetadata().getUid()).isNotEqualTo(uid);
        assertThat(ready().getReason()).isNotEqualTo("DataVolumeMissing");
        assertThat(harness.get(NAME).getStatus().dataClaims)
                .anySatisfy(c -> assertThat(c.uid).isEqualTo(recreated.getMetadata().getUid()));
    }

    @Test
    void aRestartedOperatorWritesNothingWhenNothingChanged() {
        harness.create(Elements.minimal(NAME, ElementMode.RW));
        harness.reconcile(NAME);
        MockCluster.markStandaloneElementUp(client, harness.get(NAME));
        harness.reconcile(NAME);
        assertThat(ready().getStatus()).isEqualTo("True");
        List<String> writes = apiServer.writes();

        ReconcileHarness restarted = new ReconcileHarness(client, element.baseUri());
        restarted.reconcile(NAME);
        restarted.reconcile(NAME);

        assertThat(apiServer.writes()).isEqualTo(writes);
        assertThat(restarted.statusWrites()).isZero();
    }

    private Condition ready() {
        return Conditions.find(harness.get(NAME).getStatus().conditions, "Ready");
    }

    private PersistentVolumeClaim claim(String name) {
        return client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).withName(name).get();
    }

    private List<Event> warnings(String reason) {
        return client.v1().events().inNamespace(Elements.NAMESPACE).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }
}
