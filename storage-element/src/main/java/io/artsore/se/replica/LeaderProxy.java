package io.artsore.se.replica;

import io.artsore.se.api.ErrorResponses;
import io.artsore.se.api.auth.OutboundTls;
import io.artsore.se.config.SeConfig;
import io.artsore.se.logging.Events;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Forwards a write request from a follower to the leader and the leader's answer back, streaming both bodies
 * (a 1 GB upload never sits in memory): the request body is piped into the outbound request, the response
 * body copied back as it arrives. TLS trust is {@link OutboundTls} (SE_CA_CERT_PATH); there is a connect
 * timeout and an idle timeout (no bytes either way), but no whole-request timeout that would cut slow uploads.
 */
final class LeaderProxy implements AutoCloseable {
    static final String FORWARDED_BY = "X-SE-Forwarded-By";
    static final HeaderName FORWARDED_BY_HEADER = HeaderNames.create(FORWARDED_BY);
    private static final Logger LOG = Logger.getLogger(LeaderProxy.class.getName());
    private static final int CHUNK = 64 * 1024;
    static final int SMALL_ANSWER = 64 * 1024;
    /** Connection-level headers, and those the JDK client sets itself (it refuses them from callers). */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            "expect", "http2-settings", FORWARDED_BY.toLowerCase(Locale.ROOT));

    /** The leader could not be reached or stopped answering; the caller answers 503 with Retry-After. */
    static final class LeaderUnreachable extends Exception {
        LeaderUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient client;
    private final String scheme;
    private final Duration idleTimeout;
    private final ScheduledThreadPoolExecutor watchdog = idleWatchdog();

    LeaderProxy(SeConfig config) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(OutboundTls.peerSslContext(config.caCertPath()))
                .connectTimeout(config.proxyConnectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.scheme = config.tlsEnabled() ? "https" : "http";
        this.idleTimeout = config.proxyIdleTimeout();
    }

    /**
     * One idle check per forwarded request, cancelled when it ends. Cancelled tasks must leave the queue at once
     * (they would otherwise wait there until their next run, a quarter of the idle timeout: at a high forwarding
     * rate that is rate × 15 s entries; security review L10).
     */
    static ScheduledThreadPoolExecutor idleWatchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "leader-proxy-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /**
     * Sees a small answer of the leader (status and whole body) before it is relayed, so the follower can catch
     * up on what the leader just changed and the client reads its own write from this replica.
     */
    interface AnswerObserver {
        void leaderAnswered(int status, byte[] body);
    }

    /**
     * Sends {@code req} to the leader at {@code leader} (host:port), marked as forwarded by {@code self}. Answers
     * with a known length up to {@value #SMALL_ANSWER} bytes (every write answer) are shown to {@code observer}
     * first; larger ones are streamed.
     */
    void forward(ServerRequest req, ServerResponse res, String leader, String self, AnswerObserver observer)
            throws IOException, LeaderUnreachable {
        String query = req.query().rawValue();
        URI uri = URI.create(scheme + "://" + leader + req.path().rawPath()
                + (query == null || query.isEmpty() ? "" : "?" + query));
        Progress progress = new Progress();
        HttpRequest.Builder out = HttpRequest.newBuilder(uri)
                .method(req.prologue().method().text(), body(req, progress));
        for (Header h : req.headers()) {
            if (!NOT_FORWARDED.contains(h.name().toLowerCase(Locale.ROOT))) {
                for (String v : h.allValues()) {
                    out.header(h.name(), v);
                }
            }
        }
        out.header(FORWARDED_BY, self);
        CompletableFuture<HttpResponse<InputStream>> call = client.sendAsync(out.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ScheduledFuture<?> idleCheck = watchdog.scheduleWithFixedDelay(() -> progress.abortIfIdle(call),
                idleTimeout.toMillis() / 4 + 1, idleTimeout.toMillis() / 4 + 1, TimeUnit.MILLISECONDS);
        try {
            HttpResponse<InputStream> answer = awaitHeaders(call, progress);
            relay(answer, res, progress, observer);
        } finally {
            idleCheck.cancel(false);
        }
    }

    private HttpResponse<InputStream> awaitHeaders(CompletableFuture<HttpResponse<InputStream>> call,
                                                   Progress progress) throws LeaderUnreachable, IOException {
        try {
            return call.get();
        } catch (CancellationException e) {
            throw new LeaderUnreachable("the leader stopped answering", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new LeaderUnreachable("interrupted while waiting for the leader", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (progress.clientFailed != null) {
                throw progress.clientFailed; // the client's own body broke: not the leader's fault
            }
            String why = cause instanceof ConnectException ? "the leader is unreachable" : "the leader failed to answer";
            Events.log(LOG, Level.INFO, "proxy_failed", "reason", String.valueOf(cause));
            throw new LeaderUnreachable(why, cause);
        }
    }

    /**
     * Copies the leader's answer. Status and headers are set only once its body (or, for a streamed one, its
     * first chunk) has arrived, and its Content-Length is never copied (Helidon frames what is actually sent):
     * a leader that breaks off before then leaves this response untouched for a clean 503, one that breaks off
     * later breaks the client's connection too (security review M4).
     */
    private static void relay(HttpResponse<InputStream> answer, ServerResponse res, Progress progress,
                              AnswerObserver observer) throws IOException, LeaderUnreachable {
        long length = answer.headers().firstValueAsLong("content-length").orElse(-1);
        try (InputStream in = answer.body()) {
            progress.responseBody = in;
            if (length >= 0 && length <= SMALL_ANSWER) {
                byte[] body = readAnswer(in, (int) length);
                progress.touch();
                observer.leaderAnswered(answer.statusCode(), body);
                copyHead(answer, res);
                if (body.length == 0) {
                    res.send();
                } else {
                    res.send(body);
                }
                return;
            }
            byte[] buf = new byte[CHUNK];
            int n = readLeader(in, buf);
            copyHead(answer, res);
            if (n < 0) {
                res.send();
                return;
            }
            OutputStream os = res.outputStream();
            try {
                while (n >= 0) {
                    os.write(buf, 0, n);
                    progress.touch();
                    n = in.read(buf);
                }
            } catch (IOException | RuntimeException e) {
                Events.log(LOG, Level.WARNING, "proxy_relay_aborted", "reason", String.valueOf(e));
                throw ErrorResponses.abort("the leader's answer broke off after the headers were relayed", e);
            }
            os.close();
        }
    }

    private static void copyHead(HttpResponse<InputStream> answer, ServerResponse res) {
        res.status(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                res.header(name, values.toArray(String[]::new));
            }
        });
    }

    private static byte[] readAnswer(InputStream in, int length) throws LeaderUnreachable {
        try {
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("the leader's answer ended after " + body.length + " of " + length + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw brokeOff(e);
        }
    }

    private static int readLeader(InputStream in, byte[] buf) throws LeaderUnreachable {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw brokeOff(e);
        }
    }

    private static LeaderUnreachable brokeOff(IOException e) {
        Events.log(LOG, Level.INFO, "proxy_failed", "reason", String.valueOf(e));
        return new LeaderUnreachable("the leader's answer broke off", e);
    }

    private static HttpRequest.BodyPublisher body(ServerRequest req, Progress progress) {
        if (!req.content().hasEntity()) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(
                () -> new ProgressInputStream(req.content().inputStream(), progress));
        long length = req.headers().contentLength().orElse(-1);
        // a known length is passed on, so the leader can refuse an oversized upload before reading it
        return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
    }

    /** Last time bytes moved in either direction; the watchdog aborts a call idle for longer than the limit. */
    private final class Progress {
        private volatile long lastNanos = System.nanoTime();
        private volatile InputStream responseBody;
        private volatile IOException clientFailed;

        void touch() {
            lastNanos = System.nanoTime();
        }

        void abortIfIdle(CompletableFuture<?> call) {
            if (System.nanoTime() - lastNanos < idleTimeout.toNanos()) {
                return;
            }
            call.cancel(true);
            InputStream body = responseBody;
            if (body != null) {
                try {
                    body.close();
                } catch (IOException e) {
                    // closing is all that is left to do
                }
            }
        }
    }

    private static final class ProgressInputStream extends FilterInputStream {
        private final Progress progress;

        ProgressInputStream(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                progress.touch();
                return n;
            } catch (IOException e) {
                progress.clientFailed = e;
                throw e;
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        client.close();
    }
}
