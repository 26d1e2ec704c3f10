package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One informer per owned kind (and the element's pods), selected by the operator's managed-by label, so only the operator's own objects
 * are cached (never every Deployment of the cluster) and a change or deletion of any of them - a hand-scaled
 * Deployment, a deleted Service - triggers a reconcile of its element within seconds. Objects map to their
 * element by the instance label, which (unlike an owner reference) retained claims carry too. Reads come from
 * these caches (a miss is confirmed live); a kind whose API the cluster does not serve (HTTPRoute without Gateway API) is read live.
 */
public final class OwnedInformers implements ObjectReader {
    public static final String SELECTOR = "app.kubernetes.io/managed-by=" + ElementLabels.MANAGED_BY;
    private static final String INSTANCE = "app.kubernetes.io/instance";

    private final Map<Class<?>, InformerEventSource<?, StorageElement>> sources;
    private final ObjectReader fallback;

    private OwnedInformers(Map<Class<?>, InformerEventSource<?, StorageElement>> sources, ObjectReader fallback) {
        this.sources = sources;
        this.fallback = fallback;
    }

    public static OwnedInformers create(EventSourceContext<StorageElement> context) {
        Map<Class<?>, InformerEventSource<?, StorageElement>> sources = new LinkedHashMap<>();
        // pods too: their readiness changes Ready, and the leader is found among them
        for (Class<? extends HasMetadata> type : List.of(Deployment.class, StatefulSet.class, Service.class,
                PersistentVolumeClaim.class, Certificate.class, PodDisruptionBudget.class, Pod.class)) {
            sources.put(type, informer(type, context));
        }
        if (context.getClient().supports(HTTPRoute.class)) {
            sources.put(HTTPRoute.class, informer(HTTPRoute.class, context));
        }
        return new OwnedInformers(sources, new LiveObjectReader(context.getClient()));
    }

    private static <R extends HasMetadata> InformerEventSource<R, StorageElement> informer(
            Class<R> type, EventSourceContext<StorageElement> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, StorageElement.class)
                .withName(type.getSimpleName())
                .withLabelSelector(SELECTOR)
                .withSecondaryToPrimaryMapper(OwnedInformers::owner)
                .build(), context);
    }

    private static Set<ResourceID> owner(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String name = labels == null ? null : labels.get(INSTANCE);
        return name == null ? Set.of() : Set.of(new ResourceID(name, object.getMetadata().getNamespace()));
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, Map<String, String> labels) {
        InformerEventSource<?, StorageElement> source = sources.get(type);
        if (source == null) {
            return fallback.list(type, namespace, labels);
        }
        return source.list(namespace, r -> hasLabels(r, labels)).map(type::cast).toList();
    }

    private static boolean hasLabels(HasMetadata object, Map<String, String> labels) {
        Map<String, String> actual = object.getMetadata().getLabels();
        return actual != null && actual.entrySet().containsAll(labels.entrySet());
    }

    public List<EventSource<?, StorageElement>> eventSources() {
        return new ArrayList<>(sources.values());
    }

    @Override
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        InformerEventSource<?, StorageElement> source = sources.get(type);
        if (source == null) {
            return fallback.get(type, namespace, name);
        }
        // a miss may be an object created a moment ago whose event has not arrived: ask the API server
        return source.get(new ResourceID(name, namespace)).map(type::cast)
                .orElseGet(() -> fallback.get(type, namespace, name));
    }
}
