package io.artsore.operator.mode;

import io.artsore.operator.crd.StorageElement;
import java.net.URI;

/**
 * Where the operator reaches an element's HTTP API. The default resolves cluster DNS names; tests and
 * out-of-cluster runs substitute their own (e.g. 127.0.0.1 and a port).
 */
public interface ElementEndpointResolver {

    /** Base URI of the element's ClusterIP Service, e.g. https://se-1.ns.svc:8010 */
    URI serviceUri(StorageElement element);

    /** Base URI of one pod, through the headless Service's per-pod DNS name (replicated elements). */
    default URI podUri(StorageElement element, String podName) {
        return URI.create("https://" + podName + "." + element.getMetadata().getName() + "-headless."
                + element.getMetadata().getNamespace() + ".svc:" + element.getSpec().port);
    }

    /** Cluster DNS names through the Service, HTTPS on the element's port. */
    static ElementEndpointResolver clusterDns() {
        return element -> URI.create("https://" + element.getMetadata().getName() + "."
                + element.getMetadata().getNamespace() + ".svc:" + element.getSpec().port);
    }
}
