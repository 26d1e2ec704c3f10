import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How long after an upload through the leader a follower lists the new file (run as a single-file program:
 * {@code java bench/FollowerVisibility.java LEADER_URL FOLLOWER_URL CA_PEM JWKS_MOCK_URL UPLOADS}). Each upload's
 * clock starts when the leader's 201 arrives; the follower's list page at the old total is polled every 5 ms
 * (at most 10 s) until it names the new file. Prints "p50 p90 max" in milliseconds.
 */
public final class FollowerVisibility {
    private static final Pattern FILE_ID = Pattern.compile("\"file_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String leader = args[0], follower = args[1];
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(Path.of(args[2])))
                .connectTimeout(Duration.ofSeconds(10)).build();
        String token = first(TOKEN, post(http, args[3] + "/token", "application/json",
                "{\"sub\":\"bench\",\"scopes\":[\"files:read\",\"files:write\"],\"ttl_seconds\":3600}".getBytes()));
        int uploads = Integer.parseInt(args[4]);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            long total = Long.parseLong(first(TOTAL, get(http, follower + "/api/v1/files?limit=1", token)));
            String boundary = "bench" + System.nanoTime();
            byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v" + i
                    + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n" + i + "\r\n--" + boundary + "--\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            String id = first(FILE_ID, send(http, HttpRequest.newBuilder(URI.create(leader + "/api/v1/files/upload"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)), 201));
            long uploadedAt = System.nanoTime();
            long deadline = uploadedAt + Duration.ofSeconds(10).toNanos();
            while (!get(http, follower + "/api/v1/files?limit=1&offset=" + total, token).contains(id)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the follower did not list " + id + " within 10 s");
                }
                Thread.sleep(5);
            }
            millis.add((System.nanoTime() - uploadedAt) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.println(String.format(Locale.ROOT, "%d %d %d", millis.get(millis.size() / 2),
                millis.get((int) Math.ceil(millis.size() * 0.9) - 1), millis.get(millis.size() - 1)));
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("se", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String get(HttpClient http, String url, String token) throws Exception {
        return send(http, HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET(), 200);
    }

    private static String post(HttpClient http, String url, String type, byte[] body) throws Exception {
        return send(http, HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), 200);
    }

    private static String send(HttpClient http, HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> res = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != expected) {
            throw new IllegalStateException(res.request().uri() + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body();
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + pattern + " in " + text);
        }
        return m.group(1);
    }
}
