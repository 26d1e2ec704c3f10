package io.artsore.se.server;

import io.artsore.se.logging.Events;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes a connection whose request head (the header block after the request line) is not complete within a
 * deadline.
 *
 * <p>Why: Helidon 4.5's idle checker only interrupts a connection while it waits for a request line; one
 * that has sent a request line and part of its headers is never idle in its eyes, and the socket read
 * timeout does not close it either. Without this, one client can hold any number of descriptors and virtual
 * threads with one line each (defect D4 in docs/reliability.md).
 *
 * <p>Only the head gets a deadline: it is armed when the request line has been read and disarmed as soon as
 * the headers are complete (or a response goes out, e.g. a 400 for a malformed head). Request bodies and
 * responses are never timed by it, so slow large uploads and downloads are not cut (there is deliberately
 * no whole-request timeout). Registered as both a receive and a send listener of the HTTP/1 protocol.
 */
final class RequestHeadDeadline implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RequestHeadDeadline.class.getName());

    private final Duration deadline;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<ConnectionContext, Armed> armed = new ConcurrentHashMap<>();

    RequestHeadDeadline(Duration deadline) {
        this.deadline = deadline;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "se-request-head-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // disarmed deadlines must not pile up in the queue
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        Armed next = new Armed(ctx);
        Armed previous = armed.put(ctx, next);
        next.future = timer.schedule(next, deadline.toMillis(), TimeUnit.MILLISECONDS);
        disarm(previous);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        disarm(armed.remove(ctx));
    }

    @Override
    public void status(ConnectionContext ctx, Status status) {
        disarm(armed.remove(ctx));
    }

    private static void disarm(Armed pending) {
        if (pending != null && pending.future != null) {
            pending.future.cancel(false);
        }
    }

    /** The deadline of one request head; closes the connection unless disarmed first. */
    private final class Armed implements Runnable {
        private final ConnectionContext ctx;
        private volatile ScheduledFuture<?> future;

        Armed(ConnectionContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void run() {
            if (!armed.remove(ctx, this)) {
                return; // the head completed (or a newer request re-armed) just before the deadline
            }
            Events.log(LOG, Level.FINE, "request_head_timeout", "peer", ctx.remotePeer().host(),
                    "deadline_ms", deadline.toMillis());
            try {
                ctx.serverSocket().close(); // the connection's thread, blocked reading, ends with an I/O error
            } catch (RuntimeException e) {
                Events.log(LOG, Level.FINE, "request_head_close_failed", "error", e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        armed.clear();
    }
}
