package io.artsore.se.api.http;

import static io.artsore.se.api.http.HttpTestSupport.errorCode;
import static io.artsore.se.api.http.HttpTestSupport.info;
import static io.artsore.se.api.http.HttpTestSupport.json;
import static io.artsore.se.api.http.HttpTestSupport.listTotal;
import static io.artsore.se.api.http.HttpTestSupport.storedFiles;
import static io.artsore.se.api.http.HttpTestSupport.transitionOk;
import static io.artsore.se.api.http.HttpTestSupport.upload;
import static io.artsore.se.api.http.HttpTestSupport.uploadOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.testing.HttpTestBase;
import io.artsore.se.testing.MultipartBody;
import io.artsore.se.testing.OpenApiContract;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract §4 as a table: every operation in every mode is either served or refused with 409
 * MODE_NOT_ALLOWED, and a refused operation changes nothing. Modes other than edit are reached the way
 * production reaches them (rw, then transitions) so that a file exists to operate on.
 */
class ModeRulesHttpTest extends HttpTestBase {
    /** mode, operation, allowed (docs/contract.md §4 table). */
    static Stream<Arguments> table() {
        String[] ops = {"upload", "download", "update", "delete", "list", "metadata"};
        Map<String, boolean[]> allowed = Map.of(
                "edit", new boolean[] {true, true, true, true, true, true},
                "rw", new boolean[] {true, true, true, false, true, true},
                "ro", new boolean[] {false, true, false, false, true, true},
                "ar", new boolean[] {false, false, false, false, true, true});
        List<Arguments> rows = new ArrayList<>();
        for (String mode : List.of("edit", "rw", "ro", "ar")) {
            for (int i = 0; i < ops.length; i++) {
                rows.add(Arguments.of(mode, ops[i], allowed.get(mode)[i]));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{1} in {0}: allowed={2}")
    @MethodSource("table")
    void operationFollowsTheModeTable(String mode, String operation, boolean allowed) throws Exception {
        String id = startInModeWithOneFile(mode);
        JsonNode before = metadata(id);

        HttpResponse<byte[]> r = perform(operation, id);

        if (allowed) {
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(successStatus(operation));
        } else {
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(errorCode(r)).isEqualTo("MODE_NOT_ALLOWED");
            assertThat(metadata(id)).as("a refused operation changes nothing").isEqualTo(before);
            assertThat(listTotal(se)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "allowed_operations in {0}")
    @MethodSource("allowedOperations")
    void infoListsAllowedOperationsInTheFixedOrder(String mode, List<String> expected) throws Exception {
        startInModeWithOneFile(mode);
        JsonNode info = info(se);
        assertThat(info.path("mode").asText()).isEqualTo(mode);
        List<String> actual = new ArrayList<>();
        info.path("allowed_operations").forEach(n -> actual.add(n.asText()));
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> allowedOperations() {
        return Stream.of(
                Arguments.of("edit", List.of("upload", "download", "update", "delete", "list")),
                Arguments.of("rw", List.of("upload", "download", "update", "list")),
                Arguments.of("ro", List.of("download", "list")),
                Arguments.of("ar", List.of("list")));
    }

    @ParameterizedTest(name = "SE_MODE={0} on an empty store refuses uploads")
    @MethodSource("readOnlyModes")
    void seModeAloneSetsTheStartingMode(String mode) throws Exception {
        startServer(Map.of("SE_MODE", mode));
        assertThat(info(se).path("mode").asText()).isEqualTo(mode);
        HttpResponse<byte[]> r = upload(se, new MultipartBody().file("a.bin", "application/octet-stream",
                new byte[] {1}));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(errorCode(r)).isEqualTo("MODE_NOT_ALLOWED");
        assertThat(storedFiles(se)).isEmpty();
    }

    static Stream<String> readOnlyModes() {
        return Stream.of("ro", "ar");
    }

    /** The body is never sent: the 409 must come from the headers alone. */
    @Test
    void uploadInReadOnlyModeIsRefusedBeforeTheBodyIsRead() throws Exception {
        startServer(Map.of("SE_MODE", "ro"));
        RawHttp.Response r = RawHttp.exchange(se.server().port(), "POST /api/v1/files/upload HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: Bearer " + se.token("files:write") + "\r\n"
                + "Content-Type: multipart/form-data; boundary=xyz\r\n"
                + "Content-Length: 100000\r\n\r\n");
        assertThat(r.status()).isEqualTo(409);
        assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("MODE_NOT_ALLOWED");
        OpenApiContract.load().assertResponse("POST", "/api/v1/files/upload", r.status(), r::header, r.body());
    }

    private String startInModeWithOneFile(String mode) throws Exception {
        boolean edit = mode.equals("edit");
        startServer(Map.of("SE_MODE", edit ? "edit" : "rw"));
        String id = uploadOk(se, "seed.pdf", new byte[] {1, 2, 3}).path("file_id").asText();
        if (mode.equals("ro") || mode.equals("ar")) {
            transitionOk(se, "ro", false);
        }
        if (mode.equals("ar")) {
            transitionOk(se, "ar", false);
        }
        return id;
    }

    private HttpResponse<byte[]> perform(String operation, String id) throws Exception {
        return switch (operation) {
            case "upload" -> upload(se, new MultipartBody().file("new.pdf", "application/pdf", new byte[] {9}));
            case "download" -> se.send(se.authorized("/api/v1/files/" + id + "/download", "files:read").GET().build());
            case "update" -> se.send(se.authorized("/api/v1/files/" + id, "files:write")
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\":\"changed\"}")).build());
            case "delete" -> se.send(se.authorized("/api/v1/files/" + id, "files:write").DELETE().build());
            case "list" -> se.send(se.authorized("/api/v1/files", "files:read").GET().build());
            case "metadata" -> se.send(se.authorized("/api/v1/files/" + id, "files:read").GET().build());
            default -> throw new IllegalArgumentException(operation);
        };
    }

    private static int successStatus(String operation) {
        return switch (operation) {
            case "upload" -> 201;
            case "delete" -> 204;
            default -> 200;
        };
    }

    private JsonNode metadata(String id) throws Exception {
        return json(se.send(se.authorized("/api/v1/files/" + id, "files:read").GET().build()));
    }
}
