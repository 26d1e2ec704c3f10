package io.artsore.operator.standin;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Runs a probe the way the kubelet does: httpGet to the pod IP (HTTPS without verifying the certificate, a
 * status of 200-399 passes), tcpSocket connect, or exec inside the container (exit code 0 passes).
 */
final class ProbeRunner {
    private final Podman podman;
    private final HttpClient http;

    ProbeRunner(Podman podman) {
        this.podman = podman;
        this.http = HttpClient.newBuilder().sslContext(trustAll())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    boolean passes(Probe probe, Container container, String podIp, String containerId) {
        int timeout = probe.getTimeoutSeconds() != null ? probe.getTimeoutSeconds() : 1;
        try {
            if (probe.getHttpGet() != null) {
                String scheme = probe.getHttpGet().getScheme() != null ? probe.getHttpGet().getScheme() : "HTTP";
                URI uri = URI.create(scheme.toLowerCase() + "://" + podIp + ":"
                        + port(probe.getHttpGet().getPort(), container) + probe.getHttpGet().getPath());
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(timeout)).GET().build(), HttpResponse.BodyHandlers.discarding());
                return response.statusCode() >= 200 && response.statusCode() < 400;
            }
            if (probe.getTcpSocket() != null) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(podIp, port(probe.getTcpSocket().getPort(), container)),
                            timeout * 1000);
                    return true;
                }
            }
            if (probe.getExec() != null) {
                List<String> args = new ArrayList<>(List.of("exec", containerId));
                args.addAll(probe.getExec().getCommand());
                return podman.tryRun(args).exitCode() == 0;
            }
            throw new IllegalArgumentException("a probe without httpGet, tcpSocket or exec");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** A named port is looked up among the container's ports, as the kubelet does. */
    static int port(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the container has no port named " + port.getStrVal()));
    }

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            // an extended trust manager: JSSE then adds no hostname check of its own (pod IPs are not in the SANs)
            context.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
                }

                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
