package io.artsore.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** An owned object the API server refused, with the server's own message (shown in status and Events). */
public record ApplyFailure(String kind, String name, String message) {

    static ApplyFailure of(HasMetadata object, KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : e.getMessage();
        return new ApplyFailure(object.getKind(), object.getMetadata().getName(), message);
    }

    public String describe() {
        return kind + " " + name + ": " + message;
    }
}
