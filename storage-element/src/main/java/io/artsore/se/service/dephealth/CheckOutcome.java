package io.artsore.se.service.dephealth;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Result of one dependency check in the topologymetrics vocabulary: a {@code status} from a fixed set and a
 * finer {@code detail} (e.g. {@code http_503}, {@code connection_refused}).
 */
public record CheckOutcome(String status, String detail, Duration latency) {
    public static final String OK = "ok";
    public static final String TIMEOUT = "timeout";
    public static final String CONNECTION_ERROR = "connection_error";
    public static final String DNS_ERROR = "dns_error";
    public static final String TLS_ERROR = "tls_error";
    public static final String HTTP_ERROR = "http_error";
    public static final String ERROR = "error";
    /** Every status, for the one-hot {@code app_dependency_status} family. */
    public static final List<String> STATUSES = List.of(OK, TIMEOUT, CONNECTION_ERROR, DNS_ERROR, TLS_ERROR,
            HTTP_ERROR, ERROR);

    public boolean healthy() {
        return OK.equals(status);
    }

    static CheckOutcome ofHttpStatus(int code, Duration latency) {
        return code >= 200 && code < 300 ? new CheckOutcome(OK, OK, latency)
                : new CheckOutcome(HTTP_ERROR, "http_" + code, latency);
    }

    /**
     * Classifies a failure by its whole cause chain, most specific first: the JDK client wraps the real cause
     * (an unresolvable host arrives as a ConnectException caused by an UnresolvedAddressException).
     */
    static CheckOutcome ofFailure(Throwable failure, Duration latency) {
        if (inChain(failure, HttpTimeoutException.class, TimeoutException.class)) {
            return new CheckOutcome(TIMEOUT, TIMEOUT, latency);
        }
        if (inChain(failure, UnknownHostException.class, UnresolvedAddressException.class)) {
            return new CheckOutcome(DNS_ERROR, DNS_ERROR, latency);
        }
        if (inChain(failure, SSLException.class)) {
            return new CheckOutcome(TLS_ERROR, TLS_ERROR, latency);
        }
        if (inChain(failure, ConnectException.class)) {
            return new CheckOutcome(CONNECTION_ERROR, "connection_refused", latency);
        }
        if (inChain(failure, IOException.class)) { // reset or closed mid-exchange
            return new CheckOutcome(CONNECTION_ERROR, "connection_error", latency);
        }
        return new CheckOutcome(ERROR, ERROR, latency);
    }

    @SafeVarargs
    private static boolean inChain(Throwable failure, Class<? extends Throwable>... types) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
