package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;

/** Records core/v1 Events on a StorageElement (what `kubectl describe se` shows). */
public class EventRecorder {
    private static final System.Logger LOG = System.getLogger(EventRecorder.class.getName());

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void record(StorageElement element, String type, String reason, String message) {
        String now = clock.instant().toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(element.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8)
                            .toLowerCase(Locale.ROOT))
                    .withNamespace(element.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(element.getApiVersion()).withKind(element.getKind())
                    .withName(element.getMetadata().getName()).withNamespace(element.getMetadata().getNamespace())
                    .withUid(element.getMetadata().getUid())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(ResourceApplier.FIELD_MANAGER).endSource()
                .build();
        try {
            client.v1().events().inNamespace(element.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is advice; failing to record one must not fail the reconcile.
            LOG.log(System.Logger.Level.WARNING, "could not record event {0}: {1}", reason, e.getMessage());
        }
    }
}
