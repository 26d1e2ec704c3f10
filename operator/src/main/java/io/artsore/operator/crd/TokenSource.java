package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one of a static token in a Secret or OAuth2 client credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.secretRef) != has(self.clientCredentials)",
        message = "set exactly one of secretRef and clientCredentials", reason = "FieldValueInvalid")
public class TokenSource {
    @JsonPropertyDescription("Secret key holding a bearer token with the storage:write scope.")
    public SecretKeyRef secretRef;

    public ClientCredentials clientCredentials;
}
