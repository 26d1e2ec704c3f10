package io.artsore.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.status.ConditionTypes;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ServerSideApplyDispatcher;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * storage.walSize of a replicated element (issue 15, item 5): the StatefulSet's claim template cannot change, so the
 * operator grows each pod's WAL claim and reports progress in WalResized. The test plays the StatefulSet controller
 * (it creates the claims) and the volume resizer (it reports the expanded capacity).
 */
class ReplicatedWalResizeTest extends ReconcileTestBase {
    private static final String NAME = "se-rep";
    private static final List<String> CLAIMS = List.of("wal-se-rep-0", "wal-se-rep-1", "wal-se-rep-2");

    ServerSideApplyDispatcher apiServer;
    private StorageElement created;

    @BeforeEach
    void threePodsWithOneGibibyteWalClaims() {
        created = harness.create(Elements.replicated(NAME, ElementMode.RW, 3));
        harness.reconcile(NAME);
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            MockCluster.addWalClaim(client, created, NAME + "-" + ordinal, "1Gi");
        }
    }

    @Test
    void walSizeChangeGrowsEveryPodsClaimAndCountsTheExpandedOnes() {
        harness.reconcile(NAME);
        assertThat(walResized().getStatus()).isEqualTo("True");
        assertThat(walResized().getMessage()).isEqualTo("3/3 WAL claims at 1Gi");

        harness.edit(NAME, e -> e.getSpec().storage.walSize = "2Gi");
        harness.reconcile(NAME);

        assertThat(CLAIMS).allSatisfy(c -> assertThat(request(c)).isEqualTo(new Quantity("2Gi")));
        assertThat(walResized()).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Expanding");
            assertThat(c.getMessage()).isEqualTo("0/3 WAL claims at 2Gi; waiting for the storage class to expand"
                    + " wal-se-rep-0, wal-se-rep-1, wal-se-rep-2");
        });
        assertThat(client.apps().statefulSets().inNamespace(Elements.NAMESPACE).withName(NAME).get().getSpec()
                .getVolumeClaimTemplates().getFirst().getSpec().getResources().getRequests().get("storage"))
                .as("the claim template keeps the size the set was created with").isEqualTo(new Quantity("1Gi"));

        MockCluster.reportClaimCapacity(client, Elements.NAMESPACE, "wal-se-rep-0", "2Gi");
        MockCluster.reportClaimCapacity(client, Elements.NAMESPACE, "wal-se-rep-2", "2Gi");
        harness.reconcile(NAME);
        assertThat(walResized().getMessage()).isEqualTo("2/3 WAL claims at 2Gi; waiting for the storage class to"
                + " expand wal-se-rep-1");

        MockCluster.reportClaimCapacity(client, Elements.NAMESPACE, "wal-se-rep-1", "2Gi");
        harness.reconcile(NAME);
        assertThat(walResized().getStatus()).isEqualTo("True");
        assertThat(walResized().getMessage()).isEqualTo("3/3 WAL claims at 2Gi");
    }

    @Test
    void aClaimAlreadyLargerIsNeverShrunk() {
        MockCluster.reportClaimCapacity(client, Elements.NAMESPACE, "wal-se-rep-1", "5Gi");
        client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).withName("wal-se-rep-1").edit(c -> {
            c.getSpec().getResources().getRequests().put("storage", new Quantity("5Gi"));
            return c;
        });
        harness.edit(NAME, e -> e.getSpec().storage.walSize = "2Gi");
        harness.reconcile(NAME);

        assertThat(request("wal-se-rep-1")).isEqualTo(new Quantity("5Gi"));
        assertThat(apiServer.writes()).noneMatch(w -> w.startsWith("APPLY")
                && w.endsWith("/persistentvolumeclaims/wal-se-rep-1"));
        assertThat(request("wal-se-rep-0")).isEqualTo(new Quantity("2Gi"));
    }

    @Test
    void aRefusedExpansionShowsInReadyAndTheOtherClaimsStillGrow() {
        String path = "/api/v1/namespaces/" + Elements.NAMESPACE + "/persistentvolumeclaims/wal-se-rep-0";
        apiServer.failApplies(path, 403, "only dynamically provisioned pvc can be resized and the storageclass that"
                + " provisions the pvc must support resize");
        harness.edit(NAME, e -> e.getSpec().storage.walSize = "2Gi");
        harness.reconcile(NAME);

        Condition ready = Conditions.find(harness.get(NAME).getStatus().conditions, ConditionTypes.READY);
        assertThat(ready.getReason()).isEqualTo("ApplyFailed");
        assertThat(ready.getMessage()).contains("wal-se-rep-0").contains("must support resize");
        assertThat(request("wal-se-rep-0")).isEqualTo(new Quantity("1Gi"));
        assertThat(request("wal-se-rep-1")).isEqualTo(new Quantity("2Gi"));
    }

    @Test
    void standaloneElementHasNoWalResizedCondition() {
        harness.create(Elements.minimal("se-one", ElementMode.RW));
        harness.reconcile("se-one");

        assertThat(Conditions.find(harness.get("se-one").getStatus().conditions, ConditionTypes.WAL_RESIZED))
                .isNull();
    }

    private Quantity request(String claim) {
        return client.persistentVolumeClaims().inNamespace(Elements.NAMESPACE).withName(claim).get().getSpec()
                .getResources().getRequests().get("storage");
    }

    private Condition walResized() {
        return Conditions.find(harness.get(NAME).getStatus().conditions, ConditionTypes.WAL_RESIZED);
    }
}
