package io.artsore.se.api.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS endpoint on 127.0.0.1 for tests: serves the current public keys, counts hits, can fail or stall. */
final class JwksTestServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private volatile String body = "{\"keys\":[]}";
    private volatile int status = 200;
    private volatile long delayMillis;
    /** When set, answers send the headers and a first few bytes, then wait for it to open (bounded). */
    private volatile CountDownLatch midBodyStall;

    JwksTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            CountDownLatch stall = midBodyStall;
            if (stall != null) {
                exchange.getResponseBody().write(bytes, 0, 10);
                exchange.getResponseBody().flush();
                awaitQuietly(stall);
            }
            exchange.getResponseBody().write(bytes, stall == null ? 0 : 10, bytes.length - (stall == null ? 0 : 10));
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    void publish(JWK... keys) {
        body = new JWKSet(List.of(keys)).toString(true); // public parts only
    }

    void publishRaw(String json) {
        body = json;
    }

    void answerStatus(int status) {
        this.status = status;
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    /** Later answers stall after 10 bytes of the body until {@link #releaseStalls()} (or 2 minutes). */
    void stallMidBody() {
        midBodyStall = new CountDownLatch(1);
    }

    void releaseStalls() {
        CountDownLatch stall = midBodyStall;
        midBodyStall = null;
        if (stall != null) {
            stall.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        releaseStalls();
        server.stop(0);
    }
}
