package io.artsore.operator.mode;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.operator.crd.ElementMode;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.runtime.OperatorSettings;
import io.artsore.operator.support.Elements;
import io.artsore.operator.support.ElementUnderTest;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ReconcileHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.artsore.operator.support.MockApiServer;
import org.junit.jupiter.api.extension.ExtendWith;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mode changes through spec.mode against an element that applies the contract's transition rules. Subclasses
 * supply the element: an in-process fake here, a real storage element process in the e2e module.
 */
@ExtendWith(MockApiServer.class)
public abstract class ModeViaSpecContract {
    protected static final String NAME = "se-1";

    KubernetesClient client;

    private ElementUnderTest element;

    /** Starts an element in {@code mode}; {@link #storageWriteToken()} must be accepted by it. */
    protected abstract ElementUnderTest startElement(String name, String mode) throws Exception;

    /** A token with the storage:write scope that the element accepts. */
    protected abstract String storageWriteToken();
    private ReconcileHarness harness;

    /** An element running in {@code mode} whose resource says the same, with ready pods. */
    private void runningIn(String mode) throws Exception {
        MockCluster.installCrd(client);
        client.resource(new SecretBuilder().withNewMetadata().withName(Elements.TOKEN_SECRET)
                .withNamespace(Elements.NAMESPACE).endMetadata()
                .withStringData(Map.of("token", storageWriteToken())).build()).create();
        element = startElement(NAME, mode);
        harness = new ReconcileHarness(client, element.baseUri());
        harness.create(Elements.withTokenSecret(Elements.minimal(NAME, ElementMode.fromWire(mode))));
        harness.reconcile(NAME);
        MockCluster.markDeploymentReady(client, Elements.NAMESPACE, NAME);
        harness.reconcile(NAME);
        assertThat(modeSynced().getStatus()).isEqualTo("True");
    }

    @AfterEach
    void tearDown() {
        if (element != null) {
            element.close();
        }
    }

    @Test
    public void rwToRoIsCarriedOutAndShownInStatus() throws Exception {
        runningIn("rw");

        harness.edit(NAME, e -> e.getSpec().mode = ElementMode.RO);
        harness.reconcile(NAME);

        assertThat(element.mode()).isEqualTo("ro");
        assertThat(element.transitionCalls()).isEqualTo(1);
        assertThat(status().mode).isEqualTo("ro");
        assertThat(modeSynced().getStatus()).isEqualTo("True");
        assertThat(modeSynced().getReason()).isEqualTo("InSync");
        assertThat(events()).extracting(Event::getReason).containsExactly("ModeChanged");
    }

    @Test
    public void roToRwWithoutConfirmRollbackIsRefusedThenSucceedsWithIt() throws Exception {
        runningIn("ro");

        harness.edit(NAME, e -> e.getSpec().mode = ElementMode.RW);
        harness.reconcile(NAME);

        assertThat(element.mode()).isEqualTo("ro");
        assertThat(modeSynced().getStatus()).isEqualTo("False");
        assertThat(modeSynced().getReason()).isEqualTo("CONFIRMATION_REQUIRED");
        assertThat(status().mode).isEqualTo("ro");
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("CONFIRMATION_REQUIRED");
        });

        harness.edit(NAME, e -> e.getSpec().confirmRollback = true);
        harness.reconcile(NAME);

        assertThat(element.mode()).isEqualTo("rw");
        assertThat(modeSynced().getStatus()).isEqualTo("True");
        assertThat(status().mode).isEqualTo("rw");
        assertThat(element.transitionCalls()).isEqualTo(2);
    }

    @Test
    public void confirmRollbackConfirmsOneRollbackAndIsSpentByIt() throws Exception {
        runningIn("ro");
        StorageElement rolledBack = harness.edit(NAME, e -> {
            e.getSpec().mode = ElementMode.RW;
            e.getSpec().confirmRollback = true;
        });
        harness.reconcile(NAME);
        assertThat(element.mode()).isEqualTo("rw");
        assertThat(status().confirmRollbackUsedAtGeneration).isEqualTo(rolledBack.getMetadata().getGeneration());

        harness.edit(NAME, e -> e.getSpec().mode = ElementMode.RO);
        harness.reconcile(NAME);
        assertThat(element.mode()).isEqualTo("ro");
        int calls = element.transitionCalls();

        // confirmRollback: true stayed in the spec (as in Git): it does not confirm this second rollback
        harness.edit(NAME, e -> e.getSpec().mode = ElementMode.RW);
        harness.reconcile(NAME);
        harness.reconcile(NAME);
        assertThat(element.mode()).isEqualTo("ro");
        assertThat(element.transitionCalls()).as("nothing sent").isEqualTo(calls);
        assertThat(modeSynced().getStatus()).isEqualTo("False");
        assertThat(modeSynced().getReason()).isEqualTo("RollbackConfirmationUsed");
        assertThat(events()).filteredOn(e -> "RollbackConfirmationUsed".equals(e.getReason())).hasSize(1);

        harness.edit(NAME, e -> e.getSpec().confirmRollback = false);
        harness.reconcile(NAME);
        assertThat(status().confirmRollbackUsedAtGeneration).isNull();
        assertThat(element.mode()).isEqualTo("ro");

        harness.edit(NAME, e -> e.getSpec().confirmRollback = true);
        harness.reconcile(NAME);
        assertThat(element.mode()).isEqualTo("rw");
        assertThat(status().confirmRollbackUsedAtGeneration).isEqualTo(harness.get(NAME).getMetadata().getGeneration());
    }

    @Test
    public void editToRwIsRefusedOnceAndNotRetriedUntilTheSpecChanges() throws Exception {
        runningIn("edit");

        harness.edit(NAME, e -> e.getSpec().mode = ElementMode.RW);
        UpdateControl<StorageElement> first = harness.reconcile(NAME);
        int statusWrites = harness.statusWrites();
        List<UpdateControl<StorageElement>> later = List.of(harness.reconcile(NAME), harness.reconcile(NAME),
                harness.reconcile(NAME), harness.reconcile(NAME));

        assertThat(element.transitionCalls()).isEqualTo(1);
        assertThat(element.mode()).isEqualTo("edit");
        assertThat(modeSynced().getReason()).isEqualTo("INVALID_TRANSITION");
        assertThat(modeSynced().getStatus()).isEqualTo("False");
        assertThat(events()).hasSize(1);
        assertThat(harness.statusWrites()).isEqualTo(statusWrites);
        // no quick retry after a final refusal: the next look is the 10-minute refusal re-check, or the periodic
        // resync when that is shorter (which re-reads the element but, by the memory above, sends nothing)
        long noQuickRetry = Math.min(Duration.ofMinutes(10).toMillis(), OperatorSettings.DEFAULT_RESYNC.toMillis());
        assertThat(first.getScheduleDelay()).hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(noQuickRetry));
        assertThat(later).allSatisfy(c -> assertThat(c.getScheduleDelay())
                .hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(noQuickRetry)));

        // a new spec generation is a new request: the operator asks once more
        harness.edit(NAME, e -> e.getSpec().logLevel = "debug");
        harness.reconcile(NAME);
        assertThat(element.transitionCalls()).isEqualTo(2);
    }

    @Test
    public void rwToArTakesTheTwoAllowedSteps() throws Exception {
        runningIn("rw");

        harness.edit(NAME, e -> e.getSpec().mode = ElementMode.AR);
        UpdateControl<StorageElement> firstStep = harness.reconcile(NAME);
        assertThat(element.mode()).isEqualTo("ro");
        assertThat(modeSynced().getReason()).isEqualTo("TransitionInProgress");
        assertThat(firstStep.getScheduleDelay()).hasValueSatisfying(d -> assertThat(d).isLessThan(Duration.ofMinutes(1).toMillis()));

        harness.reconcile(NAME);
        assertThat(element.mode()).isEqualTo("ar");
        assertThat(modeSynced().getStatus()).isEqualTo("True");
    }

    @Test
    public void aRejectedTokenIsReportedAndRetriedLater() throws Exception {
        runningIn("rw");
        client.secrets().inNamespace(Elements.NAMESPACE).withName(Elements.TOKEN_SECRET)
                .edit(s -> new SecretBuilder(s).withData(null).withStringData(Map.of("token", "wrong")).build());

        harness.edit(NAME, e -> e.getSpec().mode = ElementMode.RO);
        UpdateControl<StorageElement> control = harness.reconcile(NAME);
        harness.reconcile(NAME);

        assertThat(element.mode()).isEqualTo("rw");
        assertThat(modeSynced().getReason()).isEqualTo("UNAUTHORIZED");
        // not a final refusal: asked again on the next reconcile, on a one-minute back-off
        assertThat(element.transitionCalls()).isEqualTo(2);
        assertThat(control.getScheduleDelay()).hasValue(Duration.ofMinutes(1).toMillis());
    }

    private StorageElement resource() {
        return harness.get(NAME);
    }

    private io.artsore.operator.crd.StorageElementStatus status() {
        return resource().getStatus();
    }

    private Condition modeSynced() {
        return Conditions.find(status().conditions, "ModeSynced");
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(Elements.NAMESPACE).list().getItems();
    }
}
