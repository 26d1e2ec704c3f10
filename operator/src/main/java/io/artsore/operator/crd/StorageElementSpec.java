package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Desired state of a Storage Element. Java initialisers repeat the schema defaults so that a resource read
 * from an API server without defaulting (tests, older objects) behaves the same; CrdDefaultsTest keeps both
 * in step.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(oldSelf.mode == 'ro' && self.mode == 'rw') || self.confirmRollback == true",
        message = "rolling back from ro to rw requires confirmRollback: true", reason = "FieldValueForbidden")
@ValidationRule(value = "self.replicaMode == 'replicated' || self.replicas == 1",
        message = "a standalone element runs exactly one replica", reason = "FieldValueInvalid")
@ValidationRule(value = "!has(self.maxCapacity) || self.maxCapacity >= self.maxFileSize",
        message = "maxCapacity must be at least maxFileSize", reason = "FieldValueInvalid")
public class StorageElementSpec {

    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @ValidationRule(value = "self == oldSelf", message = "storageId is immutable", reason = "FieldValueForbidden")
    @JsonPropertyDescription("Unique id of the element (SE_STORAGE_ID), e.g. se-moscow-01. Immutable.")
    public String storageId;

    @Required
    @ValidationRule(value = "self == oldSelf || (oldSelf != 'edit' && self != 'edit' && oldSelf != 'ar')",
            message = "edit mode is isolated and ar is final: allowed changes are rw->ro, ro->ar, rw->ar (via ro)"
                    + " and ro->rw with confirmRollback",
            reason = "FieldValueForbidden")
    @JsonPropertyDescription("Desired mode; the operator moves the running element to it through the SE API.")
    public ElementMode mode;

    @Default("false")
    @JsonPropertyDescription("Must be true to roll back ro -> rw. Confirms one rollback: once the operator has"
            + " rolled back with it (status.confirmRollbackUsedAtGeneration), set it to false and, for another"
            + " rollback later, to true again.")
    public Boolean confirmRollback = false;

    @Default("standalone")
    @ValidationRule(value = "self == oldSelf", message = "replicaMode is immutable", reason = "FieldValueForbidden")
    public ReplicaMode replicaMode = ReplicaMode.STANDALONE;

    @Default("1")
    @Min(1)
    @Max(16)
    public Integer replicas = 1;

    @Size(min = 1)
    @JsonPropertyDescription("Element image; unset: the operator's default, the element release matching the"
            + " operator's own version (OPERATOR_ELEMENT_IMAGE, set by the operator chart).")
    public String image;

    @Default("IfNotPresent")
    @Pattern("^(Always|IfNotPresent|Never)$")
    public String imagePullPolicy = "IfNotPresent";

    @Default("8010")
    @Min(1024)
    @Max(65535)
    public Integer port = 8010;

    @Default("1073741824")
    @Min(1)
    @JsonPropertyDescription("Largest accepted upload in bytes (SE_MAX_FILE_SIZE).")
    public Long maxFileSize = 1073741824L;

    @Min(1)
    @JsonPropertyDescription("Capacity limit in bytes (SE_MAX_CAPACITY); defaults to storage.dataSize.")
    public Long maxCapacity;

    @Default("1h")
    @Pattern(Durations.PATTERN)
    public String gcInterval = "1h";

    @Default("6h")
    @Pattern(Durations.PATTERN)
    public String reconcileInterval = "6h";

    @Default("30s")
    @Pattern(Durations.PATTERN)
    public String indexRefreshInterval = "30s";

    @Default("15s")
    @Pattern(Durations.PATTERN)
    public String dephealthCheckInterval = "15s";

    @Default("info")
    @Pattern("^(debug|info|warn|error)$")
    public String logLevel = "info";

    @Default("json")
    @Pattern("^(json|text)$")
    public String logFormat = "json";

    @Required
    public AuthSpec auth;

    @Required
    public StorageSpec storage;

    @Required
    public TlsSpec tls;

    public HttpRouteSpec httpRoute;

    public PodOverrides pod = new PodOverrides();
}
