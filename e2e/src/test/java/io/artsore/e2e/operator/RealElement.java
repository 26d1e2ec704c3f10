package io.artsore.e2e.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.e2e.env.ElementProcess;
import io.artsore.operator.support.ElementUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real storage element process for the operator's mode tests; counts transition calls from its metrics. */
final class RealElement implements ElementUnderTest {
    private static final Pattern TRANSITIONS = Pattern.compile(
            "se_http_requests_total\\{[^}]*path=\"/api/v1/mode/transition\"[^}]*\\} ([0-9.E]+)");
    private final ElementProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RealElement(ElementProcess process) {
        this.process = process;
    }

    static RealElement start(Path root, String name, String mode, URI jwks) throws Exception {
        Files.createDirectories(root.resolve("logs"));
        Files.createDirectories(root.resolve("pids"));
        ElementProcess p = new ElementProcess(name, Map.of(
                "SE_STORAGE_ID", name,
                "SE_MODE", mode,
                "SE_DATA_DIR", root.resolve("data").toString(),
                "SE_WAL_DIR", root.resolve("wal").toString(),
                "SE_MAX_CAPACITY", String.valueOf(1L << 30),
                "SE_JWKS_URL", jwks.toString(),
                "SE_DEV_INSECURE_HTTP", "true"), root.resolve("logs"), root.resolve("pids"));
        p.start(System.getProperty("java.class.path"));
        RealElement element = new RealElement(p);
        element.awaitLive();
        return element;
    }

    private void awaitLive() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("element exited: " + Files.readString(process.log()));
            }
            try {
                if (get("/health/live").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("element not live in 60 s: " + Files.readString(process.log()));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public URI baseUri() {
        return URI.create(process.url());
    }

    @Override
    public String mode() {
        return read("/api/v1/info", body -> new ObjectMapper().readTree(body).path("mode").asText());
    }

    @Override
    public int transitionCalls() {
        return read("/metrics", RealElement::sumOfTransitions);
    }

    private static int sumOfTransitions(String metrics) {
        double total = 0;
        Matcher m = TRANSITIONS.matcher(metrics);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return (int) total;
    }

    /** GETs the path and interprets the body; the observer interface has no checked exceptions. */
    private <T> T read(String path, BodyReader<T> reader) {
        try {
            return reader.read(get(path).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface BodyReader<T> {
        T read(String body) throws IOException;
    }

    @Override
    public void close() {
        process.stop();
    }
}
