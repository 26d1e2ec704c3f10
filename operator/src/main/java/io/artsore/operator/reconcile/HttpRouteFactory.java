package io.artsore.operator.reconcile;

import io.artsore.operator.crd.HttpRouteSpec;
import io.artsore.operator.crd.StorageElement;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;

/** Gateway API HTTPRoute to the element's ClusterIP Service (optional). */
public final class HttpRouteFactory {
    private HttpRouteFactory() {
    }

    public static HTTPRoute build(StorageElement element) {
        HttpRouteSpec route = element.getSpec().httpRoute;
        ElementNames names = ElementNames.of(element);
        return new HTTPRouteBuilder()
                .withMetadata(Ownership.owned(element, names.httpRoute()))
                .withNewSpec()
                    .addNewParentRef().withName(route.gatewayName).withNamespace(route.gatewayNamespace)
                        .withSectionName(route.sectionName).endParentRef()
                    .withHostnames(route.hostname)
                    .addNewRule()
                        .addNewMatch().withNewPath().withType("PathPrefix").withValue("/").endPath().endMatch()
                        .addNewBackendRef().withName(names.service()).withPort(element.getSpec().port).endBackendRef()
                    .endRule()
                .endSpec()
                .build();
    }
}
