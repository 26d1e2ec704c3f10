package io.artsore.se.api.auth;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.artsore.se.testing.SelfSignedTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A JWKS endpoint over HTTPS on 127.0.0.1 with a self-signed certificate. */
final class HttpsJwks implements AutoCloseable {
    private final HttpsServer server;

    HttpsJwks(SelfSignedTls tls, String jwks) throws Exception {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.createContext("/jwks", exchange -> {
            byte[] bytes = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
