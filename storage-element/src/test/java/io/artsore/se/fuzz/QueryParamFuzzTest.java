package io.artsore.se.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.se.testing.RandomInputs;
import io.artsore.se.testing.SeTestServer;
import io.artsore.se.testing.TestIssuer;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("se-fuzz-query");
        issuer = new TestIssuer();
        server = SeTestServer.start(root, issuer, Map.of());
        token = server.token("files:read", "files:write");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        issuer.close();
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static final String[] NAMES = {"limit", "offset", "status", "LIMIT", "limit[]", "", "x"};
    private static final String[] EQUALS = {"=", "", "=="};
    private static final String[] SEPARATORS = {"&", "&&", ";"};
    /** Values at the ends of the documented ranges, almost-numbers, wrong statuses and broken percent-encoding. */
    private static final String[] ODD_VALUES = {"", "0", "1", "10000", "10001", "-0", "+5", "1e3", "0x10", "active",
        "deleted", "expired", "ACTIVE", "all", "%00", "%", "%zz", "%E2%80%AE", "1%20", "9223372036854775808"};
    private static final String[] ODD_SEGMENTS = {"..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "upload%00",
        "a%2Fb", "%252e", "00000000-0000-0000-0000-000000000000", "1-1-1-1-1", "{file_id}"};

    @Test
    void listQueryGetsOnlyDocumentedAnswers() {
        List<String> edgeCases = new ArrayList<>(List.of("", "&&", ";", "limit", "limit==", "limit=1&limit=2"));
        for (String value : ODD_VALUES) {
            edgeCases.add("limit=" + value);
        }
        RandomInputs.forAll(edgeCases, 400, QueryParamFuzzTest::query, query -> {
            Answer r = get("/api/v1/files?" + query);
            assertThat(r.status()).as(query).isIn(200, 400);
            if (r.status() == 400) {
                assertThat(r.contentType()).as(query).startsWith("application/json");
                assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("VALIDATION_ERROR");
            }
        });
    }

    @Test
    void fileIdSegmentGetsOnlyDocumentedAnswers() {
        RandomInputs.forAll(List.of(ODD_SEGMENTS), 400, QueryParamFuzzTest::segment, segment -> {
            for (String suffix : new String[] {"", "/download"}) {
                Answer r = get("/api/v1/files/" + segment + suffix);
                assertThat(r.status()).as(segment + suffix).isIn(400, 404, 405);
                assertThat(r.contentType()).as(segment + suffix).startsWith("application/json");
                assertThat(JSON.readTree(r.body()).path("error").path("code").asText())
                        .isIn(Set.of("VALIDATION_ERROR", "NOT_FOUND"));
            }
        });
    }

    /** Up to five name/value pairs, joined by one separator. */
    private static String query(Random random) {
        List<String> pairs = new ArrayList<>();
        for (int i = RandomInputs.length(random, 0, 5); i > 0; i--) {
            pairs.add(RandomInputs.oneOf(random, NAMES) + RandomInputs.oneOf(random, EQUALS) + value(random));
        }
        return String.join(RandomInputs.oneOf(random, SEPARATORS), pairs);
    }

    /** Any long, a hand-picked odd value, or any string of up to 30 chars URL-encoded, a third each. */
    private static String value(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> String.valueOf(RandomInputs.longIn(random, Long.MIN_VALUE, Long.MAX_VALUE));
            case 1 -> RandomInputs.oneOf(random, ODD_VALUES);
            default -> URLEncoder.encode(RandomInputs.anyString(random, 30), StandardCharsets.UTF_8);
        };
    }

    /** A well-formed (random) id, a hex-ish string, any URL-encoded string, or a hand-picked one, a quarter each. */
    private static String segment(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> randomUuid(random).toString();
            case 1 -> RandomInputs.string(random, "0123456789abcdefABCDEF-g", 1, 40);
            case 2 -> URLEncoder.encode(nonEmptyString(random, 60), StandardCharsets.UTF_8).replace("+", "%20");
            default -> RandomInputs.oneOf(random, ODD_SEGMENTS);
        };
    }

    /** A version 4 UUID, as {@link UUID#randomUUID()} makes, but drawn from the seeded {@code random}. */
    private static UUID randomUuid(Random random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
        return new UUID(msb, lsb);
    }

    /** An empty segment would address the list endpoint, which is not what this property is about. */
    private static String nonEmptyString(Random random, int maxLength) {
        String s;
        do {
            s = RandomInputs.anyString(random, maxLength);
        } while (s.isEmpty());
        return s;
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
