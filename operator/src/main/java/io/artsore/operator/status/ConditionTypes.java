package io.artsore.operator.status;

public final class ConditionTypes {
    public static final String READY = "Ready";
    public static final String MODE_SYNCED = "ModeSynced";
    public static final String CERTIFICATE_READY = "CertificateReady";
    /** Replicated elements: every pod runs the StatefulSet's update revision (the operator rolls them). */
    public static final String ROLLED_OUT = "RolledOut";
    /** Replicated elements: every pod's WAL claim has reached storage.walSize. */
    public static final String WAL_RESIZED = "WalResized";

    private ConditionTypes() {
    }
}
