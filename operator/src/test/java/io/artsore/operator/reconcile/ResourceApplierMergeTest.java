package io.artsore.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ResourceApplierMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void listsAreReplacedMapsMergedNullsRemovedAndServerFieldsKept() throws Exception {
        JsonNode live = JSON.readTree("""
                {"spec":{"clusterIP":"10.0.0.7","ports":[{"port":1},{"port":2}],"selector":{"a":"1","b":"2"}},
                 "metadata":{"resourceVersion":"5","annotations":{"x":"1"}}}""");
        JsonNode desired = JSON.readTree("""
                {"spec":{"ports":[{"port":3}],"selector":{"b":"3"}},"metadata":{"annotations":{"x":null,"y":"2"}}}""");

        JsonNode merged = ResourceApplier.mergePatch(live, desired);

        assertThat(merged).isEqualTo(JSON.readTree("""
                {"spec":{"clusterIP":"10.0.0.7","ports":[{"port":3}],"selector":{"a":"1","b":"3"}},
                 "metadata":{"resourceVersion":"5","annotations":{"y":"2"}}}"""));
    }
}
