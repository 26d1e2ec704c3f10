package io.artsore.operator.status;

/**
 * What Kubernetes reports about the element's pods and certificate.
 *
 * @param certificateReady null when cert-manager has not reported yet
 * @param leader           pod name of the leader, null when unknown
 */
public record WorkloadState(int desiredReplicas, int readyReplicas, Boolean certificateReady,
                            String certificateMessage, String leader) {
}
