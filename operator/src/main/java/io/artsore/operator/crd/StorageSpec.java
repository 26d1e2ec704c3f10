package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
    /** Kubernetes quantity, binary or decimal suffix. */
    public static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$";

    @JsonPropertyDescription("StorageClass of both claims; the cluster default when unset.")
    public String storageClassName;

    @Required
    @Pattern(QUANTITY)
    public String dataSize;

    @Default("1Gi")
    @Pattern(QUANTITY)
    public String walSize = "1Gi";

    @JsonPropertyDescription("Access modes of the data claim; ReadWriteOnce standalone, ReadWriteMany replicated when unset.")
    public List<String> dataAccessModes;

    @Default("true")
    @JsonPropertyDescription("Keep the data and WAL claims when the StorageElement is deleted.")
    public Boolean retainOnDelete = true;
}
