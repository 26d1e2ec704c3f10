package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;

/** Names of every object derived from one StorageElement, so builders and readers agree on them. */
public record ElementNames(String name, String namespace) {
    public static final String WAL_TEMPLATE = "wal";

    public static ElementNames of(StorageElement element) {
        return new ElementNames(element.getMetadata().getName(), element.getMetadata().getNamespace());
    }

    public String workload() {
        return name;
    }

    public String service() {
        return name;
    }

    public String headlessService() {
        return name + "-headless";
    }

    public String dataClaim() {
        return name + "-data";
    }

    public String walClaim() {
        return name + "-wal";
    }

    public String certificate() {
        return name;
    }

    public String disruptionBudget() {
        return name;
    }

    public String httpRoute() {
        return name;
    }

    public String tlsSecret(String override) {
        return override != null && !override.isBlank() ? override : name + "-tls";
    }

    /** Cluster DNS name of a Service of this element. */
    public String serviceFqdn(String serviceName) {
        return serviceName + "." + namespace + ".svc.cluster.local";
    }
}
