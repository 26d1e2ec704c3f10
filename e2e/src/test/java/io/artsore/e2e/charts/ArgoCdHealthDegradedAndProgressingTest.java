package io.artsore.e2e.charts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static io.artsore.e2e.charts.ArgoCdHealth.assertHealth;
import static io.artsore.e2e.charts.ArgoCdHealth.element;
import static io.artsore.e2e.charts.ArgoCdHealth.health;
import static io.artsore.e2e.charts.ArgoCdHealth.modeSynced;
import static io.artsore.e2e.charts.ArgoCdHealth.ready;
import static io.artsore.e2e.charts.ArgoCdHealth.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Argo CD health check (files/argocd-health.lua) for issue 15, item 7, run with luaj as Argo CD runs it: a mode
 * change on its way is Progressing (never Degraded), a crash-looping pod, a lost data volume, a refused apply and a
 * final mode refusal are Degraded, a refusal recorded for an older generation is not.
 */
class ArgoCdHealthDegradedAndProgressingTest {

    @Test
    void intermediateStepOfRwToRoToArIsProgressing() throws IOException {
        assertHealth(element(7, status(7, "ro",
                ready("False", "ModeNotSynced"), modeSynced("False", "TransitionInProgress"))), "Progressing")
                .startsWith("TransitionInProgress");
    }

    @Test
    void everyStateOfAnArchiveIsProgressingUntilHealthy() throws IOException {
        // spec.mode ar written: not yet observed, first step accepted, second step accepted
        assertThat(health(element(8, status(7, "rw", ready("True", "Online"), modeSynced("True", "InSync")))))
                .containsEntry("status", "Progressing");
        assertThat(health(element(8, status(8, "ro", ready("False", "ModeNotSynced"),
                modeSynced("False", "TransitionInProgress"))))).containsEntry("status", "Progressing");
        assertThat(health(element(8, status(8, "ar", ready("True", "Online"), modeSynced("True", "InSync")))))
                .containsEntry("status", "Healthy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LEADER_UNAVAILABLE", "RECONCILE_IN_PROGRESS"})
    void refusalsTheOperatorRetriesAreProgressing(String reason) throws IOException {
        assertThat(health(element(3, status(3, "rw", ready("False", "ModeNotSynced"), modeSynced("False", reason)))))
                .containsEntry("status", "Progressing");
    }

    @Test
    void crashLoopingPodIsDegraded() throws IOException {
        assertHealth(element(2, status(2, "rw", ready("False", "PodsFailing"),
                modeSynced("Unknown", "PodsNotReady"))), "Degraded")
                .startsWith("PodsFailing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DataVolumeMissing", "ApplyFailed", "ReconcileFailed"})
    void operatorBlockersAreDegradedEvenWhileTheElementIsInSync(String reason) throws IOException {
        assertHealth(element(4, status(4, "rw", ready("False", reason), modeSynced("True", "InSync"))), "Degraded")
                .startsWith(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVALID_TRANSITION", "CONFIRMATION_REQUIRED", "UNAUTHORIZED", "TokenUnavailable",
            "RollbackConfirmationUsed"})
    void finalModeRefusalIsDegraded(String reason) throws IOException {
        assertThat(health(element(5, status(5, "ro", ready("False", "ModeNotSynced"), modeSynced("False", reason)))))
                .containsEntry("status", "Degraded");
    }

    @Test
    void refusalRecordedForAnOlderGenerationIsProgressing() throws IOException {
        assertHealth(element(6, status(5, "ro",
                ready("False", "ModeNotSynced"), modeSynced("False", "CONFIRMATION_REQUIRED"))), "Progressing")
                .contains("generation 6");
    }

    @Test
    void podsStillStartingOrRollingOutAreProgressing() throws IOException {
        assertThat(health(element(2, status(2, "rw", ready("False", "PodsNotReady")))))
                .containsEntry("status", "Progressing");
        assertThat(health(element(2, status(2, "rw", ready("False", "RolloutInProgress"),
                modeSynced("True", "InSync"))))).containsEntry("status", "Progressing");
    }
}
