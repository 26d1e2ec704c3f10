package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(oldSelf.storageClassName) || (has(self.storageClassName)"
        + " && self.storageClassName == oldSelf.storageClassName)",
        message = "storageClassName is immutable once set", reason = "FieldValueForbidden")
@ValidationRule(value = "!has(oldSelf.dataAccessModes) || (has(self.dataAccessModes)"
        + " && self.dataAccessModes == oldSelf.dataAccessModes)",
        message = "dataAccessModes is immutable once set", reason = "FieldValueForbidden")
public class StorageSpec {
    /** Kubernetes quantity, binary or decimal suffix. */
    public static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$";

    @JsonPropertyDescription("StorageClass of both claims; the cluster default when unset. Immutable once set.")
    public String storageClassName;

    @Required
    @Pattern(QUANTITY)
    @ValidationRule(value = "quantity(self).compareTo(quantity(oldSelf)) >= 0",
            message = "dataSize cannot shrink (a claim can only grow)", reason = "FieldValueForbidden")
    public String dataSize;

    @Default("1Gi")
    @Pattern(QUANTITY)
    @ValidationRule(value = "quantity(self).compareTo(quantity(oldSelf)) >= 0",
            message = "walSize cannot shrink (a claim can only grow)", reason = "FieldValueForbidden")
    public String walSize = "1Gi";

    @Size(max = 4)
    @JsonPropertyDescription("Access modes of the data claim; ReadWriteOnce standalone, ReadWriteMany replicated when"
            + " unset. Immutable once set.")
    public List<String> dataAccessModes;

    @Default("true")
    @JsonPropertyDescription("Keep the data and WAL claims when the StorageElement is deleted.")
    public Boolean retainOnDelete = true;
}
