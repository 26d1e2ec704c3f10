package io.artsore.se.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.domain.ErrorCode;
import io.artsore.se.domain.FileStatus;
import io.artsore.se.domain.Mode;
import io.artsore.se.domain.Operation;
import io.artsore.se.domain.RetentionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document says what the contract (docs/contract.md) says: endpoints, statuses, security, enums. */
class OpenApiDocumentTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final JsonNode DOC = CONTRACT.document();

    /**
     * The contract's endpoint table (§1) with every status it implies: success (§1), 400 for bad path or
     * query or body, 401/403 on protected endpoints (§3, §5), 404 where a file is addressed, 409 where the
     * mode (§4) or a running reconcile can refuse, 413/507 for uploads (§7), 206/304/416 for downloads (§6),
     * 500 everywhere, 503 on protected endpoints (leader unknown or key source unusable, never fail open).
     */
    static Stream<Arguments> endpoints() {
        return Stream.of(
                endpoint("POST", "/api/v1/files/upload", "files:write", 201, 400, 401, 403, 409, 413, 500, 503, 507),
                endpoint("GET", "/api/v1/files", "files:read", 200, 400, 401, 403, 500, 503),
                endpoint("GET", "/api/v1/files/{file_id}", "files:read", 200, 400, 401, 403, 404, 500, 503),
                endpoint("PATCH", "/api/v1/files/{file_id}", "files:write", 200, 400, 401, 403, 404, 409, 500, 503, 507),
                endpoint("DELETE", "/api/v1/files/{file_id}", "files:write", 204, 400, 401, 403, 404, 409, 500, 503),
                endpoint("GET", "/api/v1/files/{file_id}/download", "files:read",
                        200, 206, 304, 400, 401, 403, 404, 409, 416, 500, 503),
                endpoint("HEAD", "/api/v1/files/{file_id}/download", "files:read",
                        200, 206, 304, 400, 401, 403, 404, 409, 416, 500, 503),
                endpoint("GET", "/api/v1/info", null, 200, 500),
                endpoint("POST", "/api/v1/mode/transition", "storage:write", 200, 400, 401, 403, 409, 500, 503),
                endpoint("POST", "/api/v1/maintenance/reconcile", "storage:write", 200, 400, 401, 403, 409, 500, 503),
                endpoint("GET", "/health/live", null, 200, 500),
                endpoint("GET", "/health/ready", null, 200, 500, 503),
                endpoint("GET", "/metrics", null, 200, 500),
                endpoint("GET", "/openapi", null, 200, 500));
    }

    private static Arguments endpoint(String method, String template, String scope, Integer... statuses) {
        return Arguments.of(method, template, scope, new TreeSet<>(Arrays.asList(statuses)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void everyEndpointDocumentsExactlyTheStatusesTheContractImplies(String method, String template, String scope,
                                                                    Set<Integer> statuses) {
        assertThat(CONTRACT.documentedStatuses(method, template)).isEqualTo(statuses);
    }

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @MethodSource("endpoints")
    void securityIsPublicOrBearerWithTheContractsScope(String method, String template, String scope,
                                                       Set<Integer> statuses) {
        assertThat(CONTRACT.isPublic(method, template)).isEqualTo(scope == null);
        assertThat(CONTRACT.requiredScopes(method, template)).isEqualTo(scope == null ? List.of() : List.of(scope));
        assertThat(statuses.contains(401)).as("401 documented iff protected").isEqualTo(scope != null);
    }

    @Test
    void documentHasNoOperationBeyondTheTable() {
        Set<String> documented = new TreeSet<>();
        for (String template : CONTRACT.pathTemplates()) {
            CONTRACT.methods(template).forEach(method -> documented.add(method + " " + template));
        }
        Set<String> table = endpoints()
                .map(a -> a.get()[0] + " " + a.get()[1])
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(table);
    }

    @Test
    void isOpenApi303WithBearerJwtScheme() {
        assertThat(DOC.path("openapi").asText()).isEqualTo("3.0.3");
        JsonNode bearer = DOC.at("/components/securitySchemes/bearerAuth");
        assertThat(bearer.path("type").asText()).isEqualTo("http");
        assertThat(bearer.path("scheme").asText()).isEqualTo("bearer");
        assertThat(bearer.path("bearerFormat").asText()).isEqualTo("JWT");
        assertThat(DOC.at("/security/0").has("bearerAuth")).isTrue();
    }

    @Test
    void everyLocalRefResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(DOC, refs);
        assertThat(refs).isNotEmpty();
        assertThat(refs).allSatisfy(ref -> {
            assertThat(ref).startsWith("#/");
            assertThat(DOC.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        });
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, refs));
    }

    @Test
    void operationIdsAreUnique() {
        List<String> ids = new ArrayList<>();
        for (String template : CONTRACT.pathTemplates()) {
            for (String method : CONTRACT.methods(template)) {
                ids.add(DOC.path("paths").path(template).path(method.toLowerCase(Locale.ROOT)).path("operationId").asText());
            }
        }
        assertThat(ids).doesNotContain("").doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------- parameters and request bodies

    @Test
    void listParametersCarryTheContractsLimits() {
        JsonNode parameters = DOC.at("/paths/~1api~1v1~1files/get/parameters");
        JsonNode limit = parameter(parameters, "limit").path("schema");
        assertThat(limit.path("minimum").asInt()).isEqualTo(1);
        assertThat(limit.path("maximum").asInt()).isEqualTo(10000);
        assertThat(limit.path("default").asInt()).isEqualTo(100);
        assertThat(parameter(parameters, "offset").at("/schema/minimum").asInt()).isZero();
        assertThat(parameter(parameters, "status").at("/schema/$ref").asText()).isEqualTo("#/components/schemas/FileStatus");
    }

    @Test
    void fileIdIsARequiredUuidPathParameter() {
        JsonNode fileId = DOC.at("/components/parameters/FileId");
        assertThat(fileId.path("in").asText()).isEqualTo("path");
        assertThat(fileId.path("required").asBoolean()).isTrue();
        assertThat(fileId.at("/schema/format").asText()).isEqualTo("uuid");
        for (String template : List.of("/api/v1/files/{file_id}", "/api/v1/files/{file_id}/download")) {
            assertThat(DOC.path("paths").path(template).at("/parameters/0/$ref").asText())
                    .isEqualTo("#/components/parameters/FileId");
        }
    }

    @Test
    void reconcileAcceptsTheAdditiveVerifyParameter() {
        JsonNode verify = parameter(DOC.at("/paths/~1api~1v1~1maintenance~1reconcile/post/parameters"), "verify");
        assertThat(verify.path("required").asBoolean()).isFalse();
        assertThat(texts(verify.at("/schema/enum"))).containsExactly("full");
    }

    @Test
    void uploadIsAMultipartFormWithTheContractsParts() {
        JsonNode upload = DOC.at("/paths/~1api~1v1~1files~1upload/post/requestBody");
        assertThat(upload.path("required").asBoolean()).isTrue();
        assertThat(upload.at("/content/multipart~1form-data/schema/$ref").asText())
                .isEqualTo("#/components/schemas/FileUploadForm");
        JsonNode form = DOC.at("/components/schemas/FileUploadForm");
        assertThat(texts(form.path("required"))).containsExactly("file");
        assertThat(form.at("/properties/file/format").asText()).isEqualTo("binary");
        assertThat(form.at("/properties/description/maxLength").asInt()).isEqualTo(1000);
        assertThat(form.at("/properties/tags/type").asText()).isEqualTo("string");
        assertThat(form.at("/properties/ttl_days/minimum").asInt()).isEqualTo(1);
        assertThat(form.at("/properties/ttl_days/maximum").asInt()).isEqualTo(365);
    }

    @Test
    void jsonRequestBodiesReferenceTheirSchemas() {
        assertThat(DOC.at("/paths/~1api~1v1~1files~1{file_id}/patch/requestBody/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/FileMetadataUpdate");
        assertThat(DOC.at("/components/schemas/FileMetadataUpdate/minProperties").asInt()).isEqualTo(1);
        assertThat(DOC.at("/paths/~1api~1v1~1mode~1transition/post/requestBody/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/ModeTransitionRequest");
        assertThat(DOC.at("/components/schemas/ModeTransitionRequest/properties/confirm/default").asBoolean(true))
                .isFalse();
    }

    // ---------------------------------------------------------------- schemas agree with the domain model

    @Test
    void enumsAgreeWithTheDomainModel() {
        assertThat(enumAt("/components/schemas/ErrorCode"))
                .containsExactlyElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
        assertThat(enumAt("/components/schemas/Mode"))
                .containsExactlyElementsOf(Arrays.stream(Mode.values()).map(Mode::wireName).toList());
        assertThat(enumAt("/components/schemas/FileStatus"))
                .containsExactlyElementsOf(Arrays.stream(FileStatus.values()).map(FileStatus::wireName).toList());
        assertThat(enumAt("/components/schemas/RetentionPolicy"))
                .containsExactlyElementsOf(Arrays.stream(RetentionPolicy.values()).map(RetentionPolicy::wireName).toList());
        assertThat(enumAt("/components/schemas/StorageInfo/properties/allowed_operations/items"))
                .containsExactlyElementsOf(Arrays.stream(Operation.values()).map(Operation::wireName).toList());
    }

    /** Each per-status error narrowing lists exactly the codes the domain maps to that status. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("errorNarrowings")
    void errorCodeNarrowingsMatchTheCodesHttpStatus(String narrowing, int status) {
        Set<String> narrowed = new TreeSet<>(enumAt("/components/schemas/" + narrowing + "/properties/error/properties/code"));
        Set<String> forStatus = Arrays.stream(ErrorCode.values())
                .filter(code -> code.httpStatus() == status)
                .map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(forStatus).containsAll(narrowed);
    }

    static Stream<Arguments> errorNarrowings() {
        return Stream.of(
                Arguments.of("ValidationErrorCode", 400), Arguments.of("UnauthorizedCode", 401),
                Arguments.of("ForbiddenCode", 403), Arguments.of("NotFoundCode", 404),
                Arguments.of("ModeNotAllowedCode", 409), Arguments.of("TransitionRefusedCode", 409),
                Arguments.of("ReconcileInProgressCode", 409), Arguments.of("FileTooLargeCode", 413),
                Arguments.of("InvalidRangeCode", 416), Arguments.of("StorageFullCode", 507),
                Arguments.of("InternalErrorCode", 500), Arguments.of("FileInternalErrorCode", 500));
    }

    @Test
    void requiredFieldsAreTheContractsRequiredFields() {
        assertThat(requiredOf("FileMetadata")).containsExactlyInAnyOrder("file_id", "original_filename",
                "content_type", "size", "checksum", "uploaded_by", "uploaded_at", "status", "retention_policy");
        assertThat(requiredOf("FileListResponse"))
                .containsExactlyInAnyOrder("items", "total", "limit", "offset", "has_more");
        assertThat(requiredOf("StorageInfo")).containsExactlyInAnyOrder("storage_id", "mode", "status", "version",
                "capacity", "allowed_operations");
        assertThat(requiredOf("CapacityInfo")).containsExactlyInAnyOrder("total_bytes", "used_bytes", "available_bytes");
        assertThat(requiredOf("ReconcileResponse"))
                .containsExactlyInAnyOrder("started_at", "completed_at", "files_checked", "issues", "summary");
        assertThat(requiredOf("ReconcileIssue")).containsExactlyInAnyOrder("type", "description");
        assertThat(requiredOf("HealthReady")).contains("checks");
        assertThat(texts(DOC.at("/components/schemas/HealthReady/properties/checks/required")))
                .containsExactlyInAnyOrder("filesystem", "wal");
    }

    @Test
    void responseSchemasDoNotForbidAdditiveFields() {
        List<String> closed = new ArrayList<>();
        findClosedObjects(DOC.at("/components/schemas"), "#/components/schemas", closed);
        assertThat(closed).isEmpty();
    }

    private static void findClosedObjects(JsonNode node, String where, List<String> closed) {
        if (node.isObject() && node.path("additionalProperties").isBoolean()
                && !node.path("additionalProperties").asBoolean()) {
            closed.add(where);
        }
        node.fields().forEachRemaining(e -> findClosedObjects(e.getValue(), where + "/" + e.getKey(), closed));
    }

    private static JsonNode parameter(JsonNode parameters, String name) {
        for (JsonNode parameter : parameters) {
            if (parameter.path("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    private static List<String> requiredOf(String schema) {
        return texts(DOC.at("/components/schemas/" + schema + "/required"));
    }

    private static List<String> enumAt(String pointer) {
        return texts(DOC.at(pointer + "/enum"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
