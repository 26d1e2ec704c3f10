package io.artsore.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Security suite (issue 9, item 4) against a child element that requires an issuer and an audience: forged
 * tokens, scope escalation on every protected endpoint, hostile file names, header injection through file
 * names, metric label cardinality, and — last — no tokens or stack traces in responses or the element's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuritySuiteTest {
    private static final Set<String> ROUTE_TEMPLATES = Set.of("/api/v1/files/upload", "/api/v1/files",
            "/api/v1/files/{file_id}", "/api/v1/files/{file_id}/download", "/api/v1/info", "/api/v1/mode/transition",
            "/api/v1/maintenance/reconcile", "/health/live", "/health/ready", "/metrics", "/openapi", "unmatched");
    private static Path root;
    private static TokenForge forge;
    private static SeChild se;
    private static SeClient client;
    private static String fileId;
    /** Every token sent and every response body seen, for the final leak scan. */
    private static final List<String> tokensUsed = new ArrayList<>();
    private static final List<String> bodiesSeen = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("se-security");
        forge = new TokenForge();
        se = new SeChild(root, forge, Map.of("SE_LOG_LEVEL", "debug", "SE_JWKS_MIN_REFETCH_INTERVAL", "1s")).start();
        client = new SeClient(se.url(), Duration.ofSeconds(30));
        HttpResponse<byte[]> up = client.upload(token("owner", "files:write"), "target.txt",
                "secret content".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(up.statusCode()).isEqualTo(201);
        fileId = SeClient.json(up).get("file_id").asText();
    }

    @AfterAll
    static void stop() throws IOException {
        se.close();
        forge.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String token(String subject, String... scopes) {
        return remember(forge.token(subject, scopes));
    }

    private static String remember(String token) {
        tokensUsed.add(token);
        return token;
    }

    private static HttpResponse<byte[]> send(String method, String path, String token) throws Exception {
        byte[] body = null;
        String type = null;
        if (path.endsWith("/upload")) {
            body = SeClient.multipart("x.bin".getBytes(StandardCharsets.UTF_8), new byte[10], Map.of());
            type = SeClient.multipartType();
        } else if (method.equals("PATCH")) {
            body = "{\"description\":\"escalated\"}".getBytes(StandardCharsets.UTF_8);
            type = "application/json";
        } else if (path.endsWith("/transition")) {
            body = "{\"target_mode\":\"ro\"}".getBytes(StandardCharsets.UTF_8);
            type = "application/json";
        }
        HttpResponse<byte[]> r = client.send(method, path, token, type, body);
        bodiesSeen.add(SeClient.text(r));
        return r;
    }

    @Test
    @Order(1)
    void forgedTokensAreRefusedWith401() throws Exception {
        Map<String, String> forged = forgeries();
        int refused = 0;
        for (Map.Entry<String, String> f : forged.entrySet()) {
            for (String[] endpoint : new String[][] {{"GET", "/api/v1/files"}, {"POST", "/api/v1/files/upload"},
                {"DELETE", "/api/v1/files/" + fileId}}) {
                HttpResponse<byte[]> r = send(endpoint[0], endpoint[1], f.getValue());
                assertThat(r.statusCode()).as(f.getKey() + " on " + endpoint[1] + ": " + SeClient.text(r))
                        .isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).as(f.getKey()).isPresent();
                assertThat(SeClient.json(r).path("error").path("code").asText()).isEqualTo("UNAUTHORIZED");
                refused++;
            }
        }
        assertThat(send("GET", "/api/v1/files/" + fileId, token("reader", "files:read")).statusCode())
                .as("a valid token still works").isEqualTo(200);
        new Summary("security-forgery").put("forgeries", forged.size()).put("requests_refused", refused).print();
    }

    /** The catalogue: each entry must be refused. */
    private static Map<String, String> forgeries() throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(forge.key().getKeyID()).generate();
        JWTClaimsSet good = forge.claims("mallory", List.of("files:read", "files:write", "storage:write")).build();
        String valid = forge.sign(forge.header().build(), good);
        String[] parts = valid.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        f.put("alg none", b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".");
        f.put("alg none, signature kept", b64.encodeToString(("{\"alg\":\"none\",\"kid\":\""
                + forge.key().getKeyID() + "\"}").getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2]);
        byte[] publicDer = forge.key().toRSAPublicKey().getEncoded();
        String publicPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(publicDer)
                + "\n-----END PUBLIC KEY-----\n";
        f.put("HS256 with the public key (DER) as secret", hmac(publicDer, good));
        f.put("HS256 with the public key (PEM) as secret", hmac(publicPem.getBytes(StandardCharsets.US_ASCII), good));
        f.put("attacker key, real kid", signWith(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(forge.key().getKeyID()).build(), good));
        f.put("attacker key embedded as jwk", signWith(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwk(attacker.toPublicJWK()).build(), good));
        f.put("attacker key via jku", signWith(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("evil").jwkURL(java.net.URI.create("http://127.0.0.1:1/evil-jwks")).build(), good));
        for (String kid : List.of("../../etc/passwd", "' OR '1'='1", "${jndi:ldap://127.0.0.1:1/x}", "k\r\nX: y",
                "x".repeat(10_000))) {
            f.put("kid injection " + kid.substring(0, Math.min(20, kid.length())), signWith(attacker,
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), good));
        }
        Instant now = Instant.now();
        f.put("expired", forge.sign(forge.header().build(), new JWTClaimsSet.Builder(good)
                .expirationTime(Date.from(now.minusSeconds(3600))).build()));
        f.put("not yet valid", forge.sign(forge.header().build(), new JWTClaimsSet.Builder(good)
                .notBeforeTime(Date.from(now.plusSeconds(3600))).build()));
        f.put("no expiry", forge.sign(forge.header().build(), new JWTClaimsSet.Builder(good).expirationTime(null).build()));
        f.put("wrong issuer", forge.sign(forge.header().build(), new JWTClaimsSet.Builder(good).issuer("https://evil").build()));
        f.put("no issuer", forge.sign(forge.header().build(), new JWTClaimsSet.Builder(good).issuer(null).build()));
        f.put("wrong audience", forge.sign(forge.header().build(), new JWTClaimsSet.Builder(good).audience("other").build()));
        f.put("no audience", forge.sign(forge.header().build(), new JWTClaimsSet.Builder(good).audience((String) null).build()));
        f.put("no subject", forge.sign(forge.header().build(), new JWTClaimsSet.Builder(good).subject(null).build()));
        f.put("claims edited after signing", parts[0] + "." + b64.encodeToString(new JWTClaimsSet.Builder(good)
                .subject("root").build().toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
        f.put("signature stripped", parts[0] + "." + parts[1] + ".");
        f.put("oversized header (9 KiB)", valid + "x".repeat(9 * 1024));
        f.put("garbage", "not-a-jwt");
        f.forEach((name, t) -> remember(t));
        return f;
    }

    private static String hmac(byte[] secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(forge.key().getKeyID()).build(),
                claims);
        jwt.sign(new MACSigner(secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32)));
        return jwt.serialize();
    }

    private static String signWith(RSAKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    @Order(2)
    void insufficientScopesAreRefusedWith403OnEveryProtectedEndpoint() throws Exception {
        String file = "/api/v1/files/" + fileId;
        Map<String, String[]> endpoints = new LinkedHashMap<>();
        endpoints.put("POST /api/v1/files/upload", new String[] {"files:write"});
        endpoints.put("GET /api/v1/files", new String[] {"files:read"});
        endpoints.put("GET " + file, new String[] {"files:read"});
        endpoints.put("PATCH " + file, new String[] {"files:write"});
        endpoints.put("DELETE " + file, new String[] {"files:write"});
        endpoints.put("GET " + file + "/download", new String[] {"files:read"});
        endpoints.put("HEAD " + file + "/download", new String[] {"files:read"});
        endpoints.put("POST /api/v1/mode/transition", new String[] {"storage:write"});
        endpoints.put("POST /api/v1/maintenance/reconcile", new String[] {"storage:write"});
        List<String> candidates = List.of("files:read", "files:write", "storage:read", "storage:write", "FILES:READ",
                "FILES:WRITE", "files:*", "*", "files", "files:read:all", "files:writ", "admin", "storage:write:x");
        int refused = 0;
        for (Map.Entry<String, String[]> e : endpoints.entrySet()) {
            String[] methodAndPath = e.getKey().split(" ", 2);
            Set<String> required = Set.of(e.getValue());
            List<List<String>> tokensScopes = new ArrayList<>();
            tokensScopes.add(List.of());
            for (String c : candidates) {
                if (!required.contains(c)) {
                    tokensScopes.add(List.of(c));
                }
            }
            tokensScopes.add(candidates.stream().filter(c -> !required.contains(c)).toList());
            for (List<String> scopes : tokensScopes) {
                for (boolean asString : new boolean[] {false, true}) {
                    JWTClaimsSet.Builder claims = forge.claims("escalator", asString ? List.of() : scopes);
                    if (asString) {
                        claims.claim("scopes", null).claim("scope", String.join(" ", scopes));
                    }
                    String t = remember(forge.sign(forge.header().build(), claims.build()));
                    HttpResponse<byte[]> r = send(methodAndPath[0], methodAndPath[1], t);
                    assertThat(r.statusCode()).as(e.getKey() + " with " + scopes + ": " + SeClient.text(r))
                            .isEqualTo(403);
                    refused++;
                }
            }
        }
        HttpResponse<byte[]> still = send("GET", file, token("reader", "files:read"));
        assertThat(SeClient.json(still).get("status").asText()).isEqualTo("active");
        assertThat(SeClient.json(still).hasNonNull("description")).as("no escalated PATCH applied").isFalse();
        new Summary("security-scopes").put("endpoints", endpoints.size()).put("requests_refused", refused).print();
    }

    @Test
    @Order(3)
    void hostileFileNamesAreRefusedOrStoredSafelyAndNeverInjectHeaders() throws Exception {
        String writer = token("namer", "files:read", "files:write");
        List<byte[]> names = new ArrayList<>();
        for (String n : List.of("../../etc/passwd", "/etc/passwd", "..\\..\\windows\\win.ini", "C:\\x\\y.txt",
                "a/b/../../../c.txt", ".", "..", " ", "con", "%2e%2e%2fescape.txt", "\u202Egnp.exe",
                "日本語のファイル.txt", "emoji 😀.bin", "quote\\\".txt", "semi;colon=x.txt", "tab\there.txt",
                "x".repeat(5000) + ".txt", "évil\u0085name.txt", "a\u2028b.txt", "zero\u200Bwidth.txt",
                "iso\u2066late.txt", "family \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67.txt")) {
            names.add(n.getBytes(StandardCharsets.UTF_8));
        }
        names.add("nul\0byte.txt".getBytes(StandardCharsets.UTF_8));
        names.add("inject\r\nX-Injected: yes\r\n.txt".getBytes(StandardCharsets.UTF_8));
        names.add("lf\nSet-Cookie: a=b.txt".getBytes(StandardCharsets.UTF_8));
        names.add(new byte[] {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, '.', 't'});
        int stored = 0;
        int refused = 0;
        for (byte[] name : names) {
            byte[] body = SeClient.multipart(name, "x".getBytes(StandardCharsets.UTF_8), Map.of());
            HttpResponse<byte[]> r = client.send("POST", "/api/v1/files/upload", writer, SeClient.multipartType(), body);
            bodiesSeen.add(SeClient.text(r));
            String full = new String(name, StandardCharsets.UTF_8);
            String shown = full.substring(0, Math.min(40, full.length()));
            assertThat(r.statusCode()).as(shown + ": " + SeClient.text(r)).isIn(201, 400);
            if (full.codePoints().anyMatch(SecuritySuiteTest::misleading)) {
                assertThat(r.statusCode()).as(shown + ": controls, bidi and invisible characters are refused")
                        .isEqualTo(400);
            }
            if (r.statusCode() == 400) {
                refused++;
                continue;
            }
            stored++;
            String id = SeClient.json(r).get("file_id").asText();
            String original = SeClient.json(r).get("original_filename").asText();
            assertThat(original).as(shown).doesNotContain("/").doesNotContain("\\").doesNotContain("\0");
            assertThat(original.codePoints().noneMatch(SecuritySuiteTest::misleading)).as(shown).isTrue();
            RawHttp.Answer download = RawHttp.exchange(se.port(), RawHttp.ascii("GET /api/v1/files/" + id
                    + "/download HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + writer
                    + "\r\nConnection: close\r\n\r\n"), false, 30_000);
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.header("X-Injected")).isNull();
            assertThat(download.header("Set-Cookie")).isNull();
            String disposition = download.header("Content-Disposition");
            assertThat(disposition).startsWith("attachment;").doesNotContain("\r").doesNotContain("\n")
                    .doesNotContain("\0");
        }
        assertDataFilesInsideDataDir();
        new Summary("security-names").put("names", names.size()).put("stored", stored).put("refused", refused).print();
    }

    /** What UploadFileNames refuses (review I4): controls, line separators, bidi controls, invisible characters. */
    private static boolean misleading(int cp) {
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200b || cp == 0x200e
                || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064)
                || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
    }

    private static void assertDataFilesInsideDataDir() throws IOException {
        Path data = se.dataDir().toRealPath();
        DiskState disk = DiskState.scan(se.dataDir(), se.walDir());
        assertThat(disk.leftovers()).isEmpty();
        for (var attr : disk.attrs().values()) {
            Path file = data.resolve(attr.get("storage_path").asText()).normalize();
            assertThat(file).startsWithRaw(data);
            assertThat(Files.isRegularFile(file)).isTrue();
            assertThat(file.toRealPath()).startsWithRaw(data);
        }
        try (Stream<Path> outside = Files.list(root)) {
            assertThat(outside.map(p -> p.getFileName().toString()).toList())
                    .as("nothing written beside the data dir").containsExactlyInAnyOrder("data", "wal", "se.log");
        }
    }

    @Test
    @Order(4)
    void metricLabelsStayBoundedUnderRandomUrls() throws Exception {
        Random r = new Random(42);
        int urls = 2000;
        for (int i = 0; i < urls; i++) {
            String path = switch (i % 4) {
                case 0 -> "/random/" + Long.toHexString(r.nextLong());
                case 1 -> "/api/v1/files/" + Long.toHexString(r.nextLong());
                case 2 -> "/api/v1/files/" + new java.util.UUID(r.nextLong(), r.nextLong()) + "/" + r.nextInt();
                default -> "/api/v1/" + Long.toHexString(r.nextLong()) + "?q=" + r.nextInt();
            };
            String method = List.of("GET", "POST", "DELETE", "BREW").get(r.nextInt(4));
            RawHttp.Answer a = RawHttp.exchange(se.port(), RawHttp.ascii(method + " " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), false, 30_000);
            assertThat(a.status()).isBetween(400, 499);
        }
        String metrics = SeClient.text(client.get("/metrics", null));
        Set<String> paths = new HashSet<>();
        Set<String> methods = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^se_http_requests_total\\{([^}]*)}").matcher(metrics);
        while (m.find()) {
            Matcher path = Pattern.compile("path=\"([^\"]*)\"").matcher(m.group(1));
            Matcher method = Pattern.compile("method=\"([^\"]*)\"").matcher(m.group(1));
            if (path.find()) {
                paths.add(path.group(1));
            }
            if (method.find()) {
                methods.add(method.group(1));
            }
        }
        new Summary("security-metric-cardinality").put("random_urls", urls).put("distinct_path_labels", paths.size())
                .put("distinct_method_labels", methods.size()).print();
        assertThat(paths).isNotEmpty().isSubsetOf(ROUTE_TEMPLATES);
        assertThat(methods).isSubsetOf(Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"));
    }

    @Test
    @Order(5)
    void noTokensOrStackTracesInResponsesOrLogs() throws Exception {
        String log = Files.readString(se.log(), StandardCharsets.ISO_8859_1);
        int tokensChecked = 0;
        for (String t : tokensUsed) {
            String[] parts = t.split("\\.");
            String signed = parts.length >= 2 ? parts[0] + "." + parts[1] : t;
            assertThat(log).as("a token in the log").doesNotContain(signed.length() > 40 ? signed : t);
            if (parts.length == 3 && parts[2].length() > 20) {
                assertThat(log).as("a token signature in the log").doesNotContain(parts[2]);
            }
            tokensChecked++;
        }
        for (String body : bodiesSeen) {
            assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.")
                    .doesNotContain(root.toString());
        }
        new Summary("security-leaks").put("tokens_checked", tokensChecked).put("responses_checked", bodiesSeen.size())
                .put("log_bytes", log.length()).print();
    }
}
