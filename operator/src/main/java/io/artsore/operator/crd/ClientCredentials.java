package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** OAuth2 client-credentials grant against a token endpoint (e.g. Keycloak). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientCredentials {
    @Required
    @Pattern("^https?://.+")
    public String tokenUrl;

    @Required
    @Size(min = 1)
    public String clientId;

    @Required
    public SecretKeyRef clientSecretRef;

    @Default("storage:write")
    public String scope = "storage:write";
}
