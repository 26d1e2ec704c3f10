package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Optional Gateway API HTTPRoute in front of the element's Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpRouteSpec {
    @Required
    @Size(min = 1)
    public String gatewayName;

    public String gatewayNamespace;

    public String sectionName;

    @Required
    @Size(min = 1)
    public String hostname;
}
