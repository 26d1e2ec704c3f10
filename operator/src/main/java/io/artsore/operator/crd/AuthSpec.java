package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
    @Required
    @Pattern("^https?://.+")
    @JsonPropertyDescription("JWKS URL the element validates tokens with (SE_JWKS_URL).")
    public String jwksUrl;

    @JsonPropertyDescription("Secret key holding an extra CA bundle for the element's outbound TLS (SE_CA_CERT_PATH).")
    public SecretKeyRef caBundleSecretRef;

    @JsonPropertyDescription("How the operator obtains a storage:write token for mode transitions.")
    public TokenSource tokenSource;
}
