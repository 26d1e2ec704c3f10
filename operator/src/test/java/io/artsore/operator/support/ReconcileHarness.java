package io.artsore.operator.support;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.mode.ClientCredentialsTokens;
import io.artsore.operator.mode.ElementApiClient;
import io.artsore.operator.mode.ElementConnections;
import io.artsore.operator.mode.ElementEndpointResolver;
import io.artsore.operator.mode.LeaderLocator;
import io.artsore.operator.mode.ModeSynchronizer;
import io.artsore.operator.mode.TokenProvider;
import io.artsore.operator.reconcile.ElementSync;
import io.artsore.operator.reconcile.EventRecorder;
import io.artsore.operator.reconcile.StorageElementReconciler;
import io.artsore.operator.status.StatusFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.artsore.operator.runtime.OperatorSettings;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;

/**
 * Runs the reconciler's logic against the mock API server the way JOSDK would: read the resource, reconcile,
 * write the status when the reconciler asks for it. Counts status writes.
 */
public final class ReconcileHarness {
    private final KubernetesClient client;
    private final StorageElementReconciler reconciler;
    private int statusWrites;
    private RuntimeException lastError;

    public ReconcileHarness(KubernetesClient client, URI elementUri) {
        this(client, elementUri, ElementConnections.fixed(HttpClient.newHttpClient()));
    }

    /** @param connections how the operator connects to the element (its TLS trust) */
    public ReconcileHarness(KubernetesClient client, URI elementUri, ElementConnections connections) {
        this(client, fixed(elementUri), connections);
    }

    /** @param resolver where the operator finds the element's Service and each of its pods */
    public ReconcileHarness(KubernetesClient client, ElementEndpointResolver resolver) {
        this(client, resolver, ElementConnections.fixed(HttpClient.newHttpClient()));
    }

    private ReconcileHarness(KubernetesClient client, ElementEndpointResolver resolver,
                             ElementConnections connections) {
        this.client = client;
        HttpClient http = HttpClient.newHttpClient();
        ElementApiClient api = new ElementApiClient(connections);
        Clock clock = Clock.systemUTC();
        this.reconciler = new StorageElementReconciler(new ElementSync(client,
                new ModeSynchronizer(resolver, api, new TokenProvider(client, new ClientCredentialsTokens(http, clock))),
                new LeaderLocator(resolver, api), new StatusFactory(clock), new EventRecorder(client, clock)),
                OperatorSettings.DEFAULT_RESYNC, clock);
    }

    /** Every service and pod URI resolves to the given address (a test element on 127.0.0.1). */
    public static ElementEndpointResolver fixed(URI uri) {
        return new ElementEndpointResolver() {
            @Override
            public URI serviceUri(StorageElement element) {
                return uri;
            }

            @Override
            public URI podUri(StorageElement element, String podName) {
                return uri;
            }
        };
    }

    public StorageElement create(StorageElement element) {
        return client.resource(element).create();
    }

    public StorageElement get(String name) {
        return client.resources(StorageElement.class).inNamespace(Elements.NAMESPACE).withName(name).get();
    }

    /**
     * One pass; a failed one is handled as JOSDK does (updateErrorStatus, then its status written) and
     * returns null. Every pass is read afresh from the API server, as the informer would deliver it.
     */
    public UpdateControl<StorageElement> reconcile(String name) {
        StorageElement element = get(name);
        UpdateControl<StorageElement> control;
        try {
            control = reconciler.reconcile(element, null);
        } catch (RuntimeException e) {
            ErrorStatusUpdateControl<StorageElement> error = reconciler.updateErrorStatus(get(name), null, e);
            error.getResource().ifPresent(this::writeStatus);
            lastError = e;
            return null;
        }
        lastError = null;
        if (control.isPatchStatus()) {
            writeStatus(control.getResource().orElseThrow());
        }
        return control;
    }

    private void writeStatus(StorageElement element) {
        client.resource(element).updateStatus();
        statusWrites++;
    }

    /** The exception of the last pass, null when it succeeded. */
    public RuntimeException lastError() {
        return lastError;
    }

    public int statusWrites() {
        return statusWrites;
    }

    /** Applies a change to the stored spec, as kubectl edit would (bumps metadata.generation). */
    public StorageElement edit(String name, java.util.function.Consumer<StorageElement> change) {
        return client.resources(StorageElement.class).inNamespace(Elements.NAMESPACE).withName(name)
                .edit(e -> {
                    change.accept(e);
                    return e;
                });
    }
}
