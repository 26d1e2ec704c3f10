package io.artsore.operator.status;

/**
 * A condition one reconcile step reports besides Ready, ModeSynced and CertificateReady (RolledOut,
 * WalResized); {@link StatusFactory} gives it observedGeneration and lastTransitionTime like the others.
 */
public record ConditionReport(String type, String status, String reason, String message) {
}
