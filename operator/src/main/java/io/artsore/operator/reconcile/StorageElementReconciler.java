package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.crd.StorageElementStatus;
import io.artsore.operator.status.Blocker;
import io.artsore.operator.status.ConditionTypes;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.status.StatusFactory;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JOSDK entry point. Changes of any owned object trigger a reconcile through label-selected informers
 * ({@link OwnedInformers}); a periodic resync heals what no event reported. The status is written only when it
 * differs from the last one. A pass in which the API server refused an object ends in
 * {@link ReconcileFailedException}: JOSDK publishes the status through {@link #updateErrorStatus} and retries
 * with {@link RetryPolicy}'s back-off.
 */
@ControllerConfiguration(name = "storageelement")
public class StorageElementReconciler implements Reconciler<StorageElement> {
    private final ElementSync sync;
    private final Duration resync;
    private final Clock clock;

    public StorageElementReconciler(ElementSync sync, Duration resync, Clock clock) {
        this.sync = sync;
        this.resync = resync;
        this.clock = clock;
    }

    @Override
    public UpdateControl<StorageElement> reconcile(StorageElement element, Context<StorageElement> context) {
        ElementSync.Result result = sync.reconcile(element);
        if (!result.failures().isEmpty()) {
            throw new ReconcileFailedException(result.failures().stream().map(ApplyFailure::describe)
                    .collect(Collectors.joining("; ")), result.status());
        }
        return decide(element, result, resync);
    }

    /** Visible for tests, which drive ElementSync without a running controller. */
    public static UpdateControl<StorageElement> decide(StorageElement element, ElementSync.Result result,
                                                       Duration resync) {
        StorageElementStatus next = result.status();
        UpdateControl<StorageElement> control;
        if (StatusFactory.same(element.getStatus(), next)) {
            control = UpdateControl.noUpdate();
        } else {
            element.setStatus(next);
            control = UpdateControl.patchStatus(element);
        }
        Duration recheck = result.recheckAfter().compareTo(resync) < 0 ? result.recheckAfter() : resync;
        return control.rescheduleAfter(recheck);
    }

    /**
     * Publishes the status of a failed pass (Ready=False, ApplyFailed with the API server's message); an
     * unexpected exception becomes Ready=False, ReconcileFailed. JOSDK keeps retrying either way.
     */
    @Override
    public ErrorStatusUpdateControl<StorageElement> updateErrorStatus(StorageElement element,
                                                                      Context<StorageElement> context, Exception e) {
        ReconcileFailedException failed = find(e);
        StorageElementStatus next = failed != null ? failed.status() : unexpected(element, rootCause(e));
        if (StatusFactory.same(element.getStatus(), next)) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        element.setStatus(next);
        return ErrorStatusUpdateControl.patchStatus(element);
    }

    /** JOSDK hands the reconciler's exception over wrapped (OperatorException). */
    private static ReconcileFailedException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ReconcileFailedException failed) {
                return failed;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** Ready=False with the exception; the other conditions stay as they were. */
    private StorageElementStatus unexpected(StorageElement element, Throwable e) {
        StorageElementStatus previous = element.getStatus() != null ? element.getStatus() : new StorageElementStatus();
        StorageElementStatus next = Serialization.clone(previous);
        next.conditions = new ArrayList<>();
        next.conditions.add(Conditions.next(previous.conditions, ConditionTypes.READY, "False",
                Blocker.RECONCILE_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(),
                element.getMetadata().getGeneration(), clock.instant()));
        if (previous.conditions != null) {
            previous.conditions.stream().filter(c -> !ConditionTypes.READY.equals(c.getType()))
                    .forEach(next.conditions::add);
        }
        return next;
    }

    @Override
    public List<EventSource<?, StorageElement>> prepareEventSources(EventSourceContext<StorageElement> context) {
        OwnedInformers informers = OwnedInformers.create(context);
        sync.readFrom(informers);
        return informers.eventSources();
    }
}
