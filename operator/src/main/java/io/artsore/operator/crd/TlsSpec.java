package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
    @Required
    public IssuerRef issuerRef;

    @JsonPropertyDescription("Secret the certificate is stored in; <name>-tls when unset.")
    public String secretName;

    @JsonPropertyDescription("More DNS names for the certificate (e.g. the HTTPRoute hostname).")
    public List<String> extraDnsNames;
}
