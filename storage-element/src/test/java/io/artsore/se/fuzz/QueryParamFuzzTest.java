package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile query strings and {@code file_id} path segments against a live in-process element: the answer is the
 * documented one (200, or 400 VALIDATION_ERROR; 404 NOT_FOUND for well-formed ids), never a 5xx, always JSON.
 */
class QueryParamFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestIssuer issuer;
    private static SeTestServer server;
    private static Path root;
    private static String token;

    @BeforeContainer
    static void start() throws Exception {
        root = Files.createTempDirectory("se-fuzz-query");
        issuer = new TestIssuer();
        server = SeTestServer.start(root, issuer, Map.of());
        token = server.token("files:read", "files:write");
    }

    @AfterContainer
    static void stop() throws Exception {
        server.close();
        issuer.close();
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 400)
    void listQueryGetsOnlyDocumentedAnswers(@ForAll("queries") String query) throws Exception {
        Answer r = get("/api/v1/files?" + query);
        assertThat(r.status()).as(query).isIn(200, 400);
        if (r.status() == 400) {
            assertThat(r.contentType()).as(query).startsWith("application/json");
            assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("VALIDATION_ERROR");
        }
    }

    @Property(tries = 400)
    void fileIdSegmentGetsOnlyDocumentedAnswers(@ForAll("segments") String segment) throws Exception {
        for (String suffix : new String[] {"", "/download"}) {
            Answer r = get("/api/v1/files/" + segment + suffix);
            assertThat(r.status()).as(segment + suffix).isIn(400, 404, 405);
            assertThat(r.contentType()).as(segment + suffix).startsWith("application/json");
            assertThat(JSON.readTree(r.body()).path("error").path("code").asText())
                    .isIn(Set.of("VALIDATION_ERROR", "NOT_FOUND"));
        }
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.of("limit", "offset", "status", "LIMIT", "limit[]", "", "x");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("", "0", "1", "10000", "10001", "-0", "+5", "1e3", "0x10", "active", "deleted",
                        "expired", "ACTIVE", "all", "%00", "%", "%zz", "%E2%80%AE", "1%20", "9223372036854775808"),
                Arbitraries.strings().ofMaxLength(30).map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8)));
        Arbitrary<String> pair = net.jqwik.api.Combinators.combine(name, Arbitraries.of("=", "", "=="), value)
                .as((n, eq, v) -> n + eq + v);
        return pair.list().ofMaxSize(5).map(l -> String.join(Arbitraries.of("&", "&&", ";").sample(), l));
    }

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.oneOf(
                Arbitraries.create(() -> java.util.UUID.randomUUID().toString()),
                Arbitraries.strings().withChars("0123456789abcdefABCDEF-g").ofMaxLength(40).filter(s -> !s.isEmpty()),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(60)
                        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20")),
                Arbitraries.of("..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "upload%00", "a%2Fb", "%252e",
                        "00000000-0000-0000-0000-000000000000", "1-1-1-1-1", "{file_id}"));
    }

    /** The answer to a raw GET: java.net.URI would refuse many of these targets before they were sent. */
    private record Answer(int status, String head, byte[] body) {
        String contentType() {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    return line.substring(13).trim();
                }
            }
            return "";
        }
    }

    private static Answer get(String target) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.server().port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            java.io.InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("a complete response head to " + target).isNotNegative();
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                    .matcher(text);
            byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
            return new Answer(Integer.parseInt(text.substring(9, 12)), text, body);
        }
    }
}
