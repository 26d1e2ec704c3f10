package io.artsore.se.service.reconcile;

import java.io.IOException;

/** Runs reconciliation on demand; one run at a time. */
public interface Reconciler {
    /**
     * @param fullVerify also re-hash every file (for small stores and tests)
     * @throws io.artsore.se.domain.SeException RECONCILE_IN_PROGRESS when a run is already going
     */
    ReconcileReport reconcile(boolean fullVerify) throws IOException;
}
