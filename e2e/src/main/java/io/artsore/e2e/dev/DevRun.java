package io.artsore.e2e.dev;

import io.artsore.e2e.jwksmock.JwksMock;
import io.artsore.e2e.jwksmock.MockConfig;
import io.artsore.se.config.ConfigLoader;
import io.artsore.se.logging.LogLevels;
import io.artsore.se.server.StorageElementServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The README's one-command local element: a jwks-mock on loopback, a self-signed certificate, and a storage
 * element over HTTPS with its data under {@code .dev/}; prints a ready token and curl examples.
 * Environment variables of the element (SE_*) override the defaults here.
 */
public final class DevRun {
    private DevRun() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : ".dev").toAbsolutePath();
        DevCertificates certs = DevCertificates.ensure(home.resolve("certs"));
        JwksMock mock = new JwksMock(MockConfig.forTests());
        mock.start();

        Map<String, String> env = new HashMap<>();
        env.put("SE_STORAGE_ID", "se-dev");
        env.put("SE_DATA_DIR", home.resolve("data").toString());
        env.put("SE_WAL_DIR", home.resolve("wal").toString());
        env.put("SE_MAX_CAPACITY", String.valueOf(10L << 30));
        env.put("SE_MODE", "edit");
        env.put("SE_BIND_ADDRESS", "127.0.0.1");
        env.put("SE_TLS_CERT", certs.certPem().toString());
        env.put("SE_TLS_KEY", certs.keyPem().toString());
        env.put("SE_LOG_FORMAT", "text");
        env.putAll(filterSe(System.getenv()));
        env.put("SE_JWKS_URL", mock.baseUri().resolve("/jwks").toString());
        // the local jwks-mock answers plain HTTP on loopback, which needs the development opt-in; the element
        // itself still serves HTTPS with the certificate above
        env.put("SE_DEV_INSECURE_HTTP", "true");
        var config = ConfigLoader.load(env);
        LogLevels.install(config.logLevel().name(), config.logFormat().name());
        StorageElementServer server = StorageElementServer.start(config, Clock.systemUTC());

        String token = mock.mint("dev-user", List.of("files:read", "files:write", "storage:write"), 24 * 3600, false);
        Files.writeString(home.resolve("token"), token);
        String base = "https://localhost:" + server.port();
        String curl = "curl --cacert " + certs.certPem() + " -H \"Authorization: Bearer $(cat " + home.resolve("token")
                + ")\"";
        System.out.println("""

                Storage element %s is running at %s (mode %s, data in %s)
                Token (24 h, scopes files:read files:write storage:write) saved in %s:
                %s

                Try it:
                  %s -F file=@README.md %s/api/v1/files/upload
                  %s '%s/api/v1/files?limit=10'
                  %s -OJ %s/api/v1/files/<file_id>/download
                  curl --cacert %s %s/api/v1/info
                Ctrl-C stops it.
                """.formatted(config.storageId(), base, server.engine().mode().wireName(), home.resolve("data"),
                home.resolve("token"), token, curl, base, curl, base, curl, base, certs.certPem(), base));
        Files.writeString(home.resolve("url"), base);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            mock.close();
            stopped.countDown();
        }, "dev-shutdown"));
        stopped.await();
    }

    private static Map<String, String> filterSe(Map<String, String> env) {
        Map<String, String> se = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("SE_")) {
                se.put(k, v);
            }
        });
        return se;
    }
}
