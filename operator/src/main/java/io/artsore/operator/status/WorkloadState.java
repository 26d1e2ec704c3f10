package io.artsore.operator.status;

/**
 * What Kubernetes reports about the element's pods and certificate.
 *
 * @param rolledOut        the workload controller has seen the current workload generation and every desired
 *                         replica runs the current template and is ready (updated = ready = desired)
 * @param certificateReady null when cert-manager has not reported yet
 * @param leader           pod name of the leader, null when unknown
 * @param podFailure       pods whose container cannot run (CrashLoopBackOff, ImagePullBackOff, ...), e.g.
 *                         "se-1-0: CrashLoopBackOff (back-off 5m0s restarting failed container)"; null when none
 */
public record WorkloadState(int desiredReplicas, int readyReplicas, boolean rolledOut, Boolean certificateReady,
                            String certificateMessage, String leader, String podFailure) {
    public WorkloadState(int desiredReplicas, int readyReplicas, boolean rolledOut, Boolean certificateReady,
                         String certificateMessage, String leader) {
        this(desiredReplicas, readyReplicas, rolledOut, certificateReady, certificateMessage, leader, null);
    }
}
