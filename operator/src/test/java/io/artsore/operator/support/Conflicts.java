package io.artsore.operator.support;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A test's edit of an object the running operator writes too (status, finalizer, an applied field) can meet
 * its write: 409 Conflict on the resourceVersion the edit read. Retried on a fresh read, as kubectl edit would.
 */
public final class Conflicts {
    private static final int ATTEMPTS = 20;

    private Conflicts() {
    }

    public static void retry(Runnable edit) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                edit.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
