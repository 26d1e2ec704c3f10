package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** cert-manager issuer reference. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IssuerRef {
    @Required
    @Size(min = 1)
    public String name;

    @Default("ClusterIssuer")
    @Pattern("^(Issuer|ClusterIssuer)$")
    public String kind = "ClusterIssuer";

    @Default("cert-manager.io")
    public String group = "cert-manager.io";
}
