package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElement;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The ClusterIP Service clients use, and the headless Service that gives replicated pods stable DNS names. */
public final class ServiceFactory {
    private ServiceFactory() {
    }

    public static Service clusterIp(StorageElement element) {
        return new ServiceBuilder()
                .withMetadata(Ownership.owned(element, ElementNames.of(element).service()))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(ElementLabels.selector(element))
                    .addNewPort().withName(PodTemplateFactory.PORT_NAME).withProtocol("TCP")
                        .withPort(element.getSpec().port)
                        .withTargetPort(new IntOrString(PodTemplateFactory.PORT_NAME))
                        .withAppProtocol("https").endPort()
                .endSpec()
                .build();
    }

    /** Publishes not-ready pods too: followers must reach a starting leader by name. */
    public static Service headless(StorageElement element) {
        return new ServiceBuilder()
                .withMetadata(Ownership.owned(element, ElementNames.of(element).headlessService()))
                .withNewSpec()
                    .withClusterIP("None")
                    .withPublishNotReadyAddresses(true)
                    .withSelector(ElementLabels.selector(element))
                    .addNewPort().withName(PodTemplateFactory.PORT_NAME).withProtocol("TCP")
                        .withPort(element.getSpec().port)
                        .withTargetPort(new IntOrString(PodTemplateFactory.PORT_NAME)).endPort()
                .endSpec()
                .build();
    }
}
