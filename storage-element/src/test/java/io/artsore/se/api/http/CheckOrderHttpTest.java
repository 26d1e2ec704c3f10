package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.testing.HttpTestBase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract §3 order of checks on protected endpoints: 401 → 403 → 400 (path/query) → 409 (mode) → 404 →
 * the operation (body validation included). Each row breaks two or more rules at once; the answer must
 * name the earliest one.
 */
class CheckOrderHttpTest extends HttpTestBase {
    private static final String BAD_ID = "not-a-uuid";
    private static final String MISSING_ID = "3f2c1b7e-8d4a-4c5b-9e6f-0a1b2c3d4e5f";
    /** Replaced by the id of a file uploaded before the request. */
    private static final String EXISTING = "{existing}";
    private static final String NO_TOKEN = null;

    static Stream<Arguments> rows() {
        String badPatch = "{\"owner\":\"x\"}";
        String okPatch = "{\"description\":\"d\"}";
        return Stream.of(
                // 401 before everything
                row("no token, bad uuid: GET metadata", "edit", "GET", "/api/v1/files/" + BAD_ID, NO_TOKEN, null, 401, "UNAUTHORIZED"),
                row("no token, bad uuid: PATCH", "ro", "PATCH", "/api/v1/files/" + BAD_ID, NO_TOKEN, badPatch, 401, "UNAUTHORIZED"),
                row("no token, bad uuid: DELETE", "ro", "DELETE", "/api/v1/files/" + BAD_ID, NO_TOKEN, null, 401, "UNAUTHORIZED"),
                row("no token, bad uuid: download in ar", "ar", "GET", "/api/v1/files/" + BAD_ID + "/download", NO_TOKEN, null, 401, "UNAUTHORIZED"),
                row("no token, bad limit: list", "edit", "GET", "/api/v1/files?limit=0", NO_TOKEN, null, 401, "UNAUTHORIZED"),
                row("no token, upload in ro", "ro", "POST", "/api/v1/files/upload", NO_TOKEN, "junk", 401, "UNAUTHORIZED"),
                row("no token, bad body: transition", "edit", "POST", "/api/v1/mode/transition", NO_TOKEN, "{", 401, "UNAUTHORIZED"),
                row("no token: reconcile", "edit", "POST", "/api/v1/maintenance/reconcile?verify=bad", NO_TOKEN, null, 401, "UNAUTHORIZED"),
                // 403 before validation, mode and existence
                row("read token, bad uuid: PATCH", "ro", "PATCH", "/api/v1/files/" + BAD_ID, "files:read", badPatch, 403, "FORBIDDEN"),
                row("read token, bad uuid: DELETE", "ar", "DELETE", "/api/v1/files/" + BAD_ID, "files:read", null, 403, "FORBIDDEN"),
                row("write token, bad uuid: GET metadata", "edit", "GET", "/api/v1/files/" + BAD_ID, "files:write", null, 403, "FORBIDDEN"),
                row("write token, bad limit: list", "edit", "GET", "/api/v1/files?limit=abc", "files:write", null, 403, "FORBIDDEN"),
                row("read token: upload in ro", "ro", "POST", "/api/v1/files/upload", "files:read", "junk", 403, "FORBIDDEN"),
                row("files:write token: transition", "rw", "POST", "/api/v1/mode/transition", "files:write", "{", 403, "FORBIDDEN"),
                row("files:write token: reconcile", "edit", "POST", "/api/v1/maintenance/reconcile", "files:write", null, 403, "FORBIDDEN"),
                // 400 (path) before 409 (mode)
                row("bad uuid: PATCH in ro", "ro", "PATCH", "/api/v1/files/" + BAD_ID, "files:write", okPatch, 400, "VALIDATION_ERROR"),
                row("bad uuid: DELETE in rw", "rw", "DELETE", "/api/v1/files/" + BAD_ID, "files:write", null, 400, "VALIDATION_ERROR"),
                row("bad uuid: download in ar", "ar", "GET", "/api/v1/files/" + BAD_ID + "/download", "files:read", null, 400, "VALIDATION_ERROR"),
                // 409 (mode) before 404 and before the body
                row("missing file: PATCH in ro", "ro", "PATCH", "/api/v1/files/" + MISSING_ID, "files:write", badPatch, 409, "MODE_NOT_ALLOWED"),
                row("missing file: DELETE in rw", "rw", "DELETE", "/api/v1/files/" + MISSING_ID, "files:write", null, 409, "MODE_NOT_ALLOWED"),
                row("missing file: download in ar", "ar", "GET", "/api/v1/files/" + MISSING_ID + "/download", "files:read", null, 409, "MODE_NOT_ALLOWED"),
                row("not multipart: upload in ar", "ar", "POST", "/api/v1/files/upload", "files:write", "junk", 409, "MODE_NOT_ALLOWED"),
                // 404 before the body
                row("missing file, invalid body: PATCH", "edit", "PATCH", "/api/v1/files/" + MISSING_ID, "files:write", badPatch, 404, "NOT_FOUND"),
                row("missing file, not JSON: PATCH", "rw", "PATCH", "/api/v1/files/" + MISSING_ID, "files:write", "{", 404, "NOT_FOUND"),
                row("missing file: DELETE", "edit", "DELETE", "/api/v1/files/" + MISSING_ID, "files:write", null, 404, "NOT_FOUND"),
                row("missing file: metadata in ar", "ar", "GET", "/api/v1/files/" + MISSING_ID, "files:read", null, 404, "NOT_FOUND"),
                row("missing file: download in ro", "ro", "GET", "/api/v1/files/" + MISSING_ID + "/download", "files:read", null, 404, "NOT_FOUND"),
                // body validation last
                row("existing file, invalid body: PATCH", "edit", "PATCH", "/api/v1/files/" + EXISTING, "files:write", badPatch, 400, "VALIDATION_ERROR"),
                row("existing file, not JSON: PATCH", "rw", "PATCH", "/api/v1/files/" + EXISTING, "files:write", "{", 400, "VALIDATION_ERROR"));
    }

    private static Arguments row(String name, String mode, String method, String path, String scope, String body,
                                 int status, String code) {
        return Arguments.of(name, mode, method, path, scope, body, status, code);
    }

    @ParameterizedTest(name = "{0} -> {6}")
    @MethodSource("rows")
    void earliestFailingCheckAnswers(String name, String mode, String method, String path, String scope,
                                     String body, int status, String code) throws Exception {
        startServer(Map.of("SE_MODE", mode));
        if (path.contains(EXISTING)) {
            path = path.replace(EXISTING, uploadOk(se, "x.pdf", new byte[] {1}).path("file_id").asText());
        }
        HttpRequest.Builder b = se.request(path)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (scope != null) {
            b.header("Authorization", "Bearer " + se.token(scope));
        }
        HttpResponse<byte[]> r = se.send(b.build());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(status);
        assertThat(errorCode(r)).isEqualTo(code);
    }
}
