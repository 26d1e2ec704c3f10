package io.artsore.se.replica;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The addresses a follower may forward writes to. A forwarded write carries the client's bearer token and the
 * upload body, and the leader's answer is relayed as the element's own; {@code .leader.info} lies on a shared
 * volume that more than the replicas may be able to write (security review H1). So the address it names must
 * be a sibling of this replica's own advertised address: with a DNS name {@code <pod>.<headless service
 * domain>:<port>}, the same domain below one more label and the same port (a StatefulSet's per-pod names); with
 * an IP literal or a single-label host, the same host (replicas side by side on one machine). An explicit list
 * ({@code SE_PEER_ADDRESSES}) replaces that rule, e.g. for containers that reach each other by short names.
 */
final class PeerAddresses {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern HOST_CHARS = Pattern.compile("[a-z0-9.\\-\\[\\]:]+");
    private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

    private final HostPort own;
    private final Set<HostPort> listed;

    /** @param listed the explicit peer list (SE_PEER_ADDRESSES); empty to derive peers from the own address */
    PeerAddresses(String advertisedAddress, List<String> listed) {
        this.own = HostPort.parse(advertisedAddress)
                .orElseThrow(() -> new IllegalArgumentException("not host:port: " + advertisedAddress));
        this.listed = listed.stream().map(HostPort::parse).flatMap(Optional::stream).collect(Collectors.toSet());
    }

    boolean allows(String address) {
        Optional<HostPort> peer = HostPort.parse(address);
        if (peer.isEmpty()) {
            return false;
        }
        if (!listed.isEmpty()) {
            return listed.contains(peer.get());
        }
        HostPort p = peer.get();
        int dot = own.host.indexOf('.');
        if (own.ipLiteral() || dot < 0) {
            return p.host.equals(own.host);
        }
        String domain = own.host.substring(dot);
        if (p.port != own.port || !p.host.endsWith(domain)) {
            return false;
        }
        return LABEL.matcher(p.host.substring(0, p.host.length() - domain.length())).matches();
    }

    private record HostPort(String host, int port) {
        static Optional<HostPort> parse(String address) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                return Optional.empty();
            }
            String host = address.substring(0, colon).toLowerCase(Locale.ROOT);
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (port < 1 || port > 65535 || host.isEmpty() || !HOST_CHARS.matcher(host).matches()) {
                return Optional.empty();
            }
            return Optional.of(new HostPort(host, port));
        }

        boolean ipLiteral() {
            return host.startsWith("[") || IPV4.matcher(host).matches();
        }
    }
}
