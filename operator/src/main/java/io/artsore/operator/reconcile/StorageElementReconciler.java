package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementStatus;
import io.artsore.operator.status.StatusFactory;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;

/**
 * JOSDK entry point. Workload status changes (pods becoming ready) trigger a reconcile through informers on
 * the owned Deployments and StatefulSets; everything else is re-checked on the schedule ElementSync returns.
 * The status is written only when it differs from the last one.
 */
@ControllerConfiguration(name = "storageelement")
public class StorageElementReconciler implements Reconciler<StorageElement> {
    private final ElementSync sync;

    public StorageElementReconciler(ElementSync sync) {
        this.sync = sync;
    }

    @Override
    public UpdateControl<StorageElement> reconcile(StorageElement element, Context<StorageElement> context) {
        ElementSync.Result result = sync.reconcile(element);
        return decide(element, result);
    }

    /** Visible for tests, which drive ElementSync without a running controller. */
    public static UpdateControl<StorageElement> decide(StorageElement element, ElementSync.Result result) {
        StorageElementStatus next = result.status();
        UpdateControl<StorageElement> control;
        if (StatusFactory.same(element.getStatus(), next)) {
            control = UpdateControl.noUpdate();
        } else {
            element.setStatus(next);
            control = UpdateControl.patchStatus(element);
        }
        return control.rescheduleAfter(result.recheckAfter());
    }

    @Override
    public List<EventSource<?, StorageElement>> prepareEventSources(EventSourceContext<StorageElement> context) {
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration
                        .from(Deployment.class, StorageElement.class).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration
                        .from(StatefulSet.class, StorageElement.class).build(), context));
    }
}
