package io.artsore.e2e.charts;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static io.artsore.e2e.charts.ArgoCdHealth.assertHealth;
import static io.artsore.e2e.charts.ArgoCdHealth.element;
import static io.artsore.e2e.charts.ArgoCdHealth.health;
import static io.artsore.e2e.charts.ArgoCdHealth.modeSynced;
import static io.artsore.e2e.charts.ArgoCdHealth.ready;
import static io.artsore.e2e.charts.ArgoCdHealth.status;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the operator chart's Argo CD health check (files/argocd-health.lua) the way Argo CD does: the
 * resource as the global {@code obj}, the script returning {@code {status, message}}.
 */
class ArgoCdHealthCheckTest {

    @Test
    void noStatusYetIsProgressing() throws IOException {
        assertThat(health(element(3, null))).containsEntry("status", "Progressing");
    }

    @Test
    void readyAndCurrentIsHealthy() throws IOException {
        assertHealth(element(3, status(3, "rw", ready("True", "Ready"), modeSynced("True", "Synced"))), "Healthy")
                .contains("rw");
    }

    @Test
    void readyButForAnOlderGenerationIsProgressing() throws IOException {
        assertHealth(element(4, status(3, "rw", ready("True", "Ready"))), "Progressing")
                .contains("generation 4");
    }

    @Test
    void notReadyIsProgressingWithTheReason() throws IOException {
        assertHealth(element(2, status(2, "rw", ready("False", "PodsNotReady"))), "Progressing")
                .startsWith("PodsNotReady");
    }

    @Test
    void refusedModeIsDegradedEvenWhenReady() throws IOException {
        assertHealth(element(5, status(5, "ar",
                ready("True", "Ready"), modeSynced("False", "INVALID_TRANSITION"))), "Degraded")
                .startsWith("INVALID_TRANSITION");
    }
}
