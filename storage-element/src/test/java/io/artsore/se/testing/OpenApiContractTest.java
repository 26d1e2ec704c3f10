package io.artsore.se.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves the validator accepts conforming responses and catches the mistakes it exists to catch:
 * each broken example differs from a valid one in exactly one way.
 */
class OpenApiContractTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final String FILE = "/api/v1/files/{file_id}";
    private static final String DOWNLOAD = FILE + "/download";
    private static final String NO_CONTENT_TYPE = null;
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    static final String TEMPORARY_FILE = """
            {"file_id":"3f2b1c4e-8d7a-4b6e-9c1d-2a3b4c5d6e7f","original_filename":"report.pdf",
             "content_type":"application/pdf","size":1024,"checksum":"%s","uploaded_by":"ingester",
             "uploaded_at":"2025-01-02T03:04:05Z","description":null,"tags":["invoice","2024"],
             "status":"active","retention_policy":"temporary","ttl_days":30,"expires_at":"2025-02-01T03:04:05Z"}
            """.formatted(SHA);
    static final String PERMANENT_FILE = """
            {"file_id":"0b7e6a52-1f3c-4d8e-a9b0-c1d2e3f4a5b6","original_filename":"данные.csv",
             "content_type":"text/csv","size":0,"checksum":"%s","uploaded_by":"svc-admin",
             "uploaded_at":"2025-01-02T03:04:05.123456Z","status":"deleted","retention_policy":"permanent",
             "ttl_days":null,"expires_at":null}
            """.formatted(SHA);
    static final String FILE_LIST = """
            {"items":[%s,%s],"total":7,"limit":2,"offset":0,"has_more":true}
            """.formatted(TEMPORARY_FILE, PERMANENT_FILE);
    static final String EMPTY_FILE_LIST = """
            {"items":[],"total":0,"limit":100,"offset":0,"has_more":false}
            """;
    static final String STORAGE_INFO = """
            {"storage_id":"se-moscow-01","mode":"rw","status":"online","version":"1.0.0",
             "capacity":{"total_bytes":10737418240,"used_bytes":1024,"available_bytes":10737417216},
             "replica_mode":"replicated","role":"follower",
             "allowed_operations":["upload","download","update","list"]}
            """;
    static final String MINIMAL_STORAGE_INFO = """
            {"storage_id":"se-1","mode":"ar","status":"maintenance","version":"1.0.0",
             "capacity":{"total_bytes":1,"used_bytes":5,"available_bytes":0},"allowed_operations":["list"]}
            """;
    static final String MODE_TRANSITION = """
            {"previous_mode":"ro","current_mode":"rw","transitioned_at":"2025-01-02T03:04:05Z"}
            """;
    static final String RECONCILE = """
            {"started_at":"2025-01-02T03:04:05Z","completed_at":"2025-01-02T03:04:07Z","files_checked":3,
             "issues":[
               {"file_id":null,"path":"a/b/x.bin","type":"orphaned_file","description":"data file without attr.json"},
               {"file_id":"3f2b1c4e-8d7a-4b6e-9c1d-2a3b4c5d6e7f","type":"checksum_mismatch","description":"sha differs"},
               {"type":"orphaned_attr","description":"attr.json without data file","path":"a/b/y.attr.json"}],
             "summary":{"ok":1,"orphaned_files":1,"missing_files":0,"checksum_mismatches":1,"size_mismatches":0}}
            """;
    static final String CLEAN_RECONCILE = """
            {"started_at":"2025-01-02T03:04:05Z","completed_at":"2025-01-02T03:04:05Z","files_checked":0,
             "issues":[],"summary":{"ok":0,"orphaned_files":0,"missing_files":0,"checksum_mismatches":0,
             "size_mismatches":0}}
            """;
    static final String HEALTH_LIVE = """
            {"status":"ok","timestamp":"2025-01-02T03:04:05Z","version":"1.0.0","service":"storage-element"}
            """;
    static final String HEALTH_READY_DEGRADED = """
            {"status":"degraded","timestamp":"2025-01-02T03:04:05Z","version":"1.0.0","service":"storage-element",
             "checks":{"filesystem":{"status":"ok"},"wal":{"status":"ok","message":"writable"},
                       "leader":{"status":"degraded","message":"no leader known"}}}
            """;
    static final String HEALTH_READY_FAIL = """
            {"status":"fail","timestamp":"2025-01-02T03:04:05Z","version":"1.0.0","service":"storage-element",
             "checks":{"filesystem":{"status":"ok"},"wal":{"status":"fail","message":"not writable"}}}
            """;

    static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"something\"}}";
    }

    // ---------------------------------------------------------------- valid bodies pass

    static Stream<Arguments> validJsonResponses() {
        return Stream.of(
                Arguments.of("POST", "/api/v1/files/upload", 201, TEMPORARY_FILE),
                Arguments.of("GET", FILE, 200, PERMANENT_FILE),
                Arguments.of("PATCH", FILE, 200, TEMPORARY_FILE),
                Arguments.of("GET", "/api/v1/files", 200, FILE_LIST),
                Arguments.of("GET", "/api/v1/files", 200, EMPTY_FILE_LIST),
                Arguments.of("GET", "/api/v1/info", 200, STORAGE_INFO),
                Arguments.of("GET", "/api/v1/info", 200, MINIMAL_STORAGE_INFO),
                Arguments.of("POST", "/api/v1/mode/transition", 200, MODE_TRANSITION),
                Arguments.of("POST", "/api/v1/maintenance/reconcile", 200, RECONCILE),
                Arguments.of("POST", "/api/v1/maintenance/reconcile", 200, CLEAN_RECONCILE),
                Arguments.of("GET", "/health/live", 200, HEALTH_LIVE),
                Arguments.of("GET", "/health/ready", 200, HEALTH_READY_DEGRADED),
                Arguments.of("GET", "/health/ready", 503, HEALTH_READY_FAIL),
                Arguments.of("GET", "/api/v1/files", 400, error("VALIDATION_ERROR")),
                Arguments.of("GET", FILE, 404, error("NOT_FOUND")),
                Arguments.of("DELETE", FILE, 409, error("MODE_NOT_ALLOWED")),
                Arguments.of("POST", "/api/v1/mode/transition", 409, error("INVALID_TRANSITION")),
                Arguments.of("POST", "/api/v1/mode/transition", 409, error("CONFIRMATION_REQUIRED")),
                Arguments.of("POST", "/api/v1/maintenance/reconcile", 409, error("RECONCILE_IN_PROGRESS")),
                Arguments.of("POST", "/api/v1/files/upload", 413, error("FILE_TOO_LARGE")),
                Arguments.of("POST", "/api/v1/files/upload", 507, error("STORAGE_FULL")),
                Arguments.of("GET", "/api/v1/info", 500, error("INTERNAL_ERROR")),
                Arguments.of("POST", "/api/v1/files/upload", 403, error("FORBIDDEN")),
                // additive fields are allowed in responses
                Arguments.of("GET", "/health/live", 200,
                        HEALTH_LIVE.replace("\"ok\"", "\"ok\",\"uptime_seconds\":12")),
                Arguments.of("GET", FILE, 404,
                        "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"gone\",\"request_id\":\"r1\"}}"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("validJsonResponses")
    void documentedJsonResponsesPass(String method, String template, int status, String body) {
        assertThatCode(() -> CONTRACT.assertResponse(method, template, status, "application/json", bytes(body)))
                .doesNotThrowAnyException();
    }

    // ---------------------------------------------------------------- broken bodies fail

    static Stream<Arguments> brokenJsonResponses() {
        return Stream.of(
                broken("FileMetadata without checksum", "required property 'checksum'", "GET", FILE, 200,
                        PERMANENT_FILE.replace("\"checksum\":\"" + SHA + "\",", "")),
                broken("FileMetadata with an unknown status", "/status:", "GET", FILE, 200,
                        PERMANENT_FILE.replace("\"deleted\"", "\"archived\"")),
                broken("FileMetadata size as a string", "/size:", "GET", FILE, 200,
                        PERMANENT_FILE.replace("\"size\":0", "\"size\":\"0\"")),
                broken("FileMetadata with a malformed uuid", "/file_id:", "POST", "/api/v1/files/upload", 201,
                        TEMPORARY_FILE.replace("3f2b1c4e-8d7a", "not-a-uuid")),
                broken("FileMetadata with a malformed date-time", "/uploaded_at:", "POST", "/api/v1/files/upload", 201,
                        TEMPORARY_FILE.replace("\"2025-01-02T03:04:05Z\"", "\"yesterday\"")),
                broken("FileMetadata with an upper-case checksum", "/checksum:", "GET", FILE, 200,
                        PERMANENT_FILE.replace(SHA, SHA.toUpperCase(Locale.ROOT))),
                broken("FileMetadata with ttl_days 0", "/ttl_days:", "GET", FILE, 200,
                        TEMPORARY_FILE.replace("\"ttl_days\":30", "\"ttl_days\":0")),
                broken("FileMetadata with ttl_days 366", "/ttl_days:", "GET", FILE, 200,
                        TEMPORARY_FILE.replace("\"ttl_days\":30", "\"ttl_days\":366")),
                broken("FileMetadata with tags null", "/tags:", "GET", FILE, 200,
                        TEMPORARY_FILE.replace("[\"invoice\",\"2024\"]", "null")),
                broken("FileMetadata with a description over 1000 chars", "/description:", "GET", FILE, 200,
                        TEMPORARY_FILE.replace("\"description\":null", "\"description\":\"" + "x".repeat(1001) + "\"")),
                broken("FileMetadata with a path as original_filename", "/original_filename:", "GET", FILE, 200,
                        PERMANENT_FILE.replace("данные.csv", "../etc/passwd")),
                broken("FileMetadata with a wrong retention_policy", "/retention_policy:", "GET", FILE, 200,
                        PERMANENT_FILE.replace("\"permanent\"", "\"forever\"")),
                broken("FileListResponse with items null", "/items:", "GET", "/api/v1/files", 200,
                        EMPTY_FILE_LIST.replace("[]", "null")),
                broken("FileListResponse without has_more", "required property 'has_more'", "GET", "/api/v1/files", 200,
                        EMPTY_FILE_LIST.replace(",\"has_more\":false", "")),
                broken("FileListResponse with limit 10001", "/limit:", "GET", "/api/v1/files", 200,
                        EMPTY_FILE_LIST.replace("\"limit\":100", "\"limit\":10001")),
                broken("FileListResponse with a broken item", "/items/1: required property 'uploaded_by'",
                        "GET", "/api/v1/files", 200,
                        FILE_LIST.replace("\"uploaded_by\":\"svc-admin\",", "")),
                broken("StorageInfo with an unknown mode", "/mode:", "GET", "/api/v1/info", 200,
                        STORAGE_INFO.replace("\"rw\"", "\"archive\"")),
                broken("StorageInfo without capacity", "required property 'capacity'", "GET", "/api/v1/info", 200,
                        MINIMAL_STORAGE_INFO.replace(
                                "\"capacity\":{\"total_bytes\":1,\"used_bytes\":5,\"available_bytes\":0},", "")),
                broken("CapacityInfo without used_bytes", "required property 'used_bytes'", "GET", "/api/v1/info", 200,
                        MINIMAL_STORAGE_INFO.replace("\"used_bytes\":5,", "")),
                broken("CapacityInfo with negative available_bytes", "/capacity/available_bytes:",
                        "GET", "/api/v1/info", 200,
                        MINIMAL_STORAGE_INFO.replace("\"available_bytes\":0", "\"available_bytes\":-4")),
                broken("StorageInfo with an unknown operation", "/allowed_operations/2:", "GET", "/api/v1/info", 200,
                        STORAGE_INFO.replace("\"update\"", "\"read\"")),
                broken("StorageInfo with a repeated operation", "/allowed_operations:", "GET", "/api/v1/info", 200,
                        STORAGE_INFO.replace("\"update\"", "\"upload\"")),
                broken("StorageInfo with an unknown role", "/role:", "GET", "/api/v1/info", 200,
                        STORAGE_INFO.replace("\"follower\"", "\"primary\"")),
                broken("StorageInfo with an unknown status", "/status:", "GET", "/api/v1/info", 200,
                        STORAGE_INFO.replace("\"online\"", "\"up\"")),
                broken("ModeTransitionResponse with an unknown mode", "/current_mode:",
                        "POST", "/api/v1/mode/transition", 200,
                        MODE_TRANSITION.replace("\"rw\"", "\"read-write\"")),
                broken("ReconcileResponse with issues null", "/issues: null found",
                        "POST", "/api/v1/maintenance/reconcile", 200,
                        CLEAN_RECONCILE.replace("[]", "null")),
                broken("ReconcileIssue with an unknown type", "/issues/2/type:",
                        "POST", "/api/v1/maintenance/reconcile", 200,
                        RECONCILE.replace("\"orphaned_attr\"", "\"stale_index\"")),
                broken("ReconcileIssue without description", "/issues/1: required property 'description'",
                        "POST", "/api/v1/maintenance/reconcile", 200,
                        RECONCILE.replace(",\"description\":\"sha differs\"", "")),
                broken("ReconcileSummary without ok", "/summary: required property 'ok'",
                        "POST", "/api/v1/maintenance/reconcile", 200,
                        CLEAN_RECONCILE.replace("\"ok\":0,", "")),
                broken("HealthLive with a wrong service", "/service:", "GET", "/health/live", 200,
                        HEALTH_LIVE.replace("storage-element", "se")),
                broken("HealthReady without the wal check", "/checks: required property 'wal'",
                        "GET", "/health/ready", 503,
                        HEALTH_READY_FAIL.replace(",\"wal\":{\"status\":\"fail\",\"message\":\"not writable\"}", "")),
                broken("HealthReady with a bad extra check", "/checks/leader/status:", "GET", "/health/ready", 200,
                        HEALTH_READY_DEGRADED.replace("\"status\":\"degraded\",\"message\"", "\"status\":\"meh\",\"message\"")),
                broken("HealthReady fail answered with 200", "/status:",
                        "GET", "/health/ready", 200, HEALTH_READY_FAIL),
                broken("HealthReady degraded answered with 503", "/status:",
                        "GET", "/health/ready", 503, HEALTH_READY_DEGRADED),
                broken("ErrorResponse with an unknown code", "/error/code:", "GET", FILE, 400, error("BAD_REQUEST")),
                broken("ErrorResponse whose code does not match the status", "/error/code:", "GET", FILE, 404,
                        error("VALIDATION_ERROR")),
                broken("unknown target_mode answered with a transition code on 400", "/error/code:", "POST",
                        "/api/v1/mode/transition", 400, error("INVALID_TRANSITION")),
                broken("ErrorResponse without message", "/error: required property 'message'", "GET", FILE, 404,
                        "{\"error\":{\"code\":\"NOT_FOUND\"}}"),
                broken("flat error instead of ErrorResponse", "required property 'error'", "GET", FILE, 404,
                        "{\"code\":\"NOT_FOUND\",\"message\":\"no\"}"),
                broken("plain-text body on a JSON response", "the body is not JSON",
                        "GET", FILE, 404, "file not found"),
                broken("empty body on a JSON response", "the body is not JSON", "GET", "/api/v1/info", 200, ""));
    }

    /** A broken example and the fragment of the violation that names what is wrong with it. */
    private static Arguments broken(String what, String violation, String method, String template, int status,
                                    String body) {
        return Arguments.of(what, violation, method, template, status, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenJsonResponses")
    void brokenJsonResponsesFail(String what, String violation, String method, String template, int status,
                                 String body) {
        assertThatThrownBy(() -> CONTRACT.assertResponse(method, template, status, "application/json", bytes(body)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not match the OpenAPI contract")
                .hasMessageContaining(violation);
    }

    // ---------------------------------------------------------------- status, content type, body presence

    @Test
    void undocumentedStatusFails() {
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", "/api/v1/info", 404, "application/json",
                bytes(error("NOT_FOUND"))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("status 404 is not documented");
        assertThatThrownBy(() -> CONTRACT.assertResponse("DELETE", FILE, 200, "application/json", bytes("{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("status 200 is not documented");
    }

    @Test
    void undocumentedOperationFails() {
        assertThatThrownBy(() -> CONTRACT.assertResponse("PUT", FILE, 200, "application/json", bytes("{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("PUT " + FILE + " is not documented");
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", "/api/v2/files", 200, "application/json", bytes("{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("path /api/v2/files is not documented");
    }

    @Test
    void jsonResponsesMustSayApplicationJson() {
        assertThatCode(() -> CONTRACT.assertResponse("GET", "/health/live", 200, "application/json; charset=UTF-8",
                bytes(HEALTH_LIVE))).doesNotThrowAnyException();
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", "/health/live", 200, "text/plain", bytes(HEALTH_LIVE)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Content-Type text/plain is not documented");
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", "/health/live", 200, NO_CONTENT_TYPE, bytes(HEALTH_LIVE)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("missing Content-Type");
    }

    @Test
    void noContentResponsesMustHaveNoBody() {
        assertThatCode(() -> CONTRACT.assertResponse("DELETE", FILE, 204, NO_CONTENT_TYPE, new byte[0]))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CONTRACT.assertResponse("DELETE", FILE, 204, "application/json", bytes("{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("documents no body");
    }

    @Test
    void nonJsonResponsesAreCheckedByMediaTypeOnly() {
        assertThatCode(() -> CONTRACT.assertResponse("GET", "/metrics", 200, "text/plain; version=0.0.4; charset=utf-8",
                bytes("# HELP x\n"))).doesNotThrowAnyException();
        assertThatCode(() -> CONTRACT.assertResponse("GET", "/openapi", 200, "application/yaml",
                bytes("openapi: 3.0.3\n"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", "/metrics", 200, "application/json", bytes("{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("is not documented");
    }

    // ---------------------------------------------------------------- headers

    private static Map<String, String> downloadHeaders() {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/pdf");
        headers.put("Content-Length", "1024");
        headers.put("Content-Disposition", "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
        headers.put("Accept-Ranges", "bytes");
        headers.put("ETag", "\"" + SHA + "\"");
        headers.put("Last-Modified", "Thu, 02 Jan 2025 03:04:05 GMT");
        return headers;
    }

    private static Function<String, Optional<String>> lookup(Map<String, String> headers) {
        return name -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    @Test
    void completeDownloadHeadersPass() {
        assertThatCode(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 200, lookup(downloadHeaders()), new byte[1024]))
                .doesNotThrowAnyException();
        Map<String, String> partial = downloadHeaders();
        partial.put("Content-Range", "bytes 0-9/1024");
        partial.put("Content-Length", "10");
        assertThatCode(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 206, lookup(partial), new byte[10]))
                .doesNotThrowAnyException();
        assertThatCode(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 304,
                lookup(Map.of("ETag", "\"" + SHA + "\"")), new byte[0])).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "download 200 without {0}")
    @CsvSource({"Content-Type", "Content-Length", "Content-Disposition", "Accept-Ranges", "ETag", "Last-Modified"})
    void everyRequiredDownloadHeaderIsChecked(String header) {
        Map<String, String> headers = downloadHeaders();
        headers.remove(header);
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 200, lookup(headers), new byte[1024]))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("missing required header " + header);
    }

    @ParameterizedTest(name = "download 200 with {0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "ETag|9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "ETag|W/\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"",
            "Accept-Ranges|none",
            "Content-Length|-1",
            "Content-Length|lots",
            "Content-Disposition|inline"})
    void malformedDownloadHeadersFail(String header, String value) {
        Map<String, String> headers = downloadHeaders();
        headers.put(header, value);
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 200, lookup(headers), new byte[1024]))
                .isInstanceOf(AssertionError.class).hasMessageContaining("header " + header);
    }

    @Test
    void partialContentNeedsContentRange() {
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 206, lookup(downloadHeaders()), new byte[10]))
                .isInstanceOf(AssertionError.class).hasMessageContaining("missing required header Content-Range");
    }

    @Test
    void unsatisfiableRangeNeedsContentRangeAndJson() {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        byte[] body = bytes(error("INVALID_RANGE"));
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 416, lookup(headers), body))
                .isInstanceOf(AssertionError.class).hasMessageContaining("missing required header Content-Range");
        headers.put("Content-Range", "bytes */1024");
        assertThatCode(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 416, lookup(headers), body))
                .doesNotThrowAnyException();
        headers.put("Content-Type", "text/plain");
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", DOWNLOAD, 416, lookup(headers), bytes("bad range")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Content-Type text/plain");
    }

    @Test
    void unauthorizedNeedsBearerChallenge() {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        byte[] body = bytes(error("UNAUTHORIZED"));
        assertThatThrownBy(() -> CONTRACT.assertResponse("GET", "/api/v1/files", 401, lookup(headers), body))
                .isInstanceOf(AssertionError.class).hasMessageContaining("missing required header WWW-Authenticate");
        headers.put("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        assertThatCode(() -> CONTRACT.assertResponse("GET", "/api/v1/files", 401, lookup(headers), body))
                .doesNotThrowAnyException();
    }

    @Test
    void serviceUnavailableNeedsRetryAfter() {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        byte[] body = bytes(error("LEADER_UNAVAILABLE"));
        assertThatThrownBy(() -> CONTRACT.assertResponse("POST", "/api/v1/files/upload", 503, lookup(headers), body))
                .isInstanceOf(AssertionError.class).hasMessageContaining("missing required header Retry-After");
        headers.put("Retry-After", "2");
        assertThatCode(() -> CONTRACT.assertResponse("POST", "/api/v1/files/upload", 503, lookup(headers), body))
                .doesNotThrowAnyException();
    }

    // ---------------------------------------------------------------- requests nobody routes

    @Test
    void unroutedRequestsAnswerWithJsonNotFoundOrMethodNotAllowed() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        assertThatCode(() -> CONTRACT.assertNoRouteResponse(404, lookup(json), bytes(error("NOT_FOUND"))))
                .doesNotThrowAnyException();
        Map<String, String> withAllow = Map.of("Content-Type", "application/json", "Allow", "POST");
        assertThatCode(() -> CONTRACT.assertNoRouteResponse(405, lookup(withAllow), bytes(error("VALIDATION_ERROR"))))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> CONTRACT.assertNoRouteResponse(405, lookup(json), bytes(error("VALIDATION_ERROR"))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Allow");
        assertThatThrownBy(() -> CONTRACT.assertNoRouteResponse(200, lookup(json), bytes("{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("must answer 404 or 405");
        assertThatThrownBy(() -> CONTRACT.assertNoRouteResponse(404, lookup(Map.of("Content-Type", "text/html")),
                bytes("<h1>Not Found</h1>"))).isInstanceOf(AssertionError.class);
    }

    // ---------------------------------------------------------------- JDK HttpClient responses

    @Test
    void jdkResponsesAreRoutedByTheirRequest() {
        Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
        assertThatCode(() -> CONTRACT.assertResponse(new FakeResponse("GET",
                "/api/v1/files/3f2b1c4e-8d7a-4b6e-9c1d-2a3b4c5d6e7f?x=1", 200, json, bytes(PERMANENT_FILE))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CONTRACT.assertResponse(new FakeResponse("GET",
                "/api/v1/files/3f2b1c4e-8d7a-4b6e-9c1d-2a3b4c5d6e7f", 200, json, bytes(EMPTY_FILE_LIST))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("required property 'file_id'");
        // a wrong method on a known path is unrouted: 405 + Allow, never a 400 about the file_id
        assertThatCode(() -> CONTRACT.assertResponse(new FakeResponse("GET", "/api/v1/files/upload", 405,
                Map.of("Content-Type", List.of("application/json"), "Allow", List.of("POST")),
                bytes(error("VALIDATION_ERROR"))))).doesNotThrowAnyException();
        assertThatThrownBy(() -> CONTRACT.assertResponse(new FakeResponse("GET", "/api/v1/nope", 200, json,
                bytes("{}")))).isInstanceOf(AssertionError.class).hasMessageContaining("must answer 404 or 405");
    }

    /** The smallest {@link HttpResponse} the validator needs: request method and URI, status, headers, body. */
    private record FakeResponse(HttpRequest request, int statusCode, HttpHeaders headers, byte[] body)
            implements HttpResponse<byte[]> {

        FakeResponse(String method, String path, int status, Map<String, List<String>> headers, byte[] body) {
            this(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8010" + path))
                            .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    status, HttpHeaders.of(headers, (name, value) -> true), body);
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    // ---------------------------------------------------------------- template resolution

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "NONE", value = {
            "GET,    /api/v1/files/3f2b1c4e-8d7a-4b6e-9c1d-2a3b4c5d6e7f/download, /api/v1/files/{file_id}/download",
            "GET,    /api/v1/files/3f2b1c4e-8d7a-4b6e-9c1d-2a3b4c5d6e7f,          /api/v1/files/{file_id}",
            "patch,  /api/v1/files/not-a-uuid,                                     /api/v1/files/{file_id}",
            "DELETE, /api/v1/files/x?force=true,                                   /api/v1/files/{file_id}",
            "GET,    /api/v1/files?limit=10&offset=20,                             /api/v1/files",
            "POST,   /api/v1/files/upload,                                         /api/v1/files/upload",
            "GET,    /api/v1/files/upload,                                         NONE",
            "POST,   /api/v1/files,                                                NONE",
            "GET,    /api/v1/files/,                                               NONE",
            "GET,    /api/v1/files//download,                                      NONE",
            "GET,    /api/v1/nope,                                                 NONE",
            "GET,    /metrics,                                                     /metrics",
            "GET,    /health/ready,                                                /health/ready"})
    void resolvesConcretePathsToTemplates(String method, String rawPath, String expected) {
        assertThat(CONTRACT.resolveTemplate(method, rawPath)).isEqualTo(Optional.ofNullable(expected));
    }

    // ---------------------------------------------------------------- request schemas

    @ParameterizedTest(name = "{0} valid={2}: {1}")
    @CsvSource(delimiter = '|', value = {
            "FileMetadataUpdate|{\"description\":\"new\"}|true",
            "FileMetadataUpdate|{\"tags\":[]}|true",
            "FileMetadataUpdate|{\"description\":\"d\",\"tags\":[\"a\"]}|true",
            "FileMetadataUpdate|{}|false",
            "FileMetadataUpdate|{\"size\":5}|false",
            "FileMetadataUpdate|{\"tags\":\"a,b\"}|false",
            "FileMetadataUpdate|{\"description\":7}|false",
            "ModeTransitionRequest|{\"target_mode\":\"ro\"}|true",
            "ModeTransitionRequest|{\"target_mode\":\"rw\",\"confirm\":true}|true",
            "ModeTransitionRequest|{\"target_mode\":\"readonly\"}|false",
            "ModeTransitionRequest|{\"confirm\":true}|false",
            "ModeTransitionRequest|{\"target_mode\":\"rw\",\"confirm\":\"yes\"}|false"})
    void requestSchemasAcceptValidAndRejectInvalidBodies(String schema, String body, boolean valid) {
        assertThat(CONTRACT.schemaViolations(schema, body).isEmpty()).isEqualTo(valid);
    }

    @Test
    void descriptionLimitIsOneThousandCharacters() {
        assertThat(CONTRACT.schemaViolations("FileMetadataUpdate",
                "{\"description\":\"" + "é".repeat(1000) + "\"}")).isEmpty();
        assertThat(CONTRACT.schemaViolations("FileMetadataUpdate",
                "{\"description\":\"" + "é".repeat(1001) + "\"}")).isNotEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
