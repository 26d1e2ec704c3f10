package io.artsore.se.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Security review H1: only sibling replicas receive forwarded writes and the tokens in them. */
class PeerAddressesTest {
    @Test
    void aPodNameBelowTheSameHeadlessServiceAndPortIsAPeer() {
        PeerAddresses peers = new PeerAddresses("se-0.se-headless.artsore.svc.cluster.local:8443", List.of());
        assertThat(peers.allows("se-1.se-headless.artsore.svc.cluster.local:8443")).isTrue();
        assertThat(peers.allows("SE-2.se-headless.artsore.svc.cluster.local:8443")).isTrue();
        assertThat(peers.allows("se-1.se-headless.artsore.svc.cluster.local:443")).as("other port").isFalse();
        assertThat(peers.allows("evil.example:8443")).isFalse();
        assertThat(peers.allows("se-1.other-headless.artsore.svc.cluster.local:8443")).isFalse();
        assertThat(peers.allows("a.b.se-headless.artsore.svc.cluster.local:8443")).as("two labels").isFalse();
        assertThat(peers.allows(".se-headless.artsore.svc.cluster.local:8443")).isFalse();
        assertThat(peers.allows("se-headless.artsore.svc.cluster.local.evil.example:8443")).isFalse();
        assertThat(peers.allows("10.0.0.7:8443")).isFalse();
        assertThat(peers.allows("se-1.se-headless.artsore.svc.cluster.local:8443/x")).isFalse();
        assertThat(peers.allows("user@se-1.se-headless.artsore.svc.cluster.local:8443")).isFalse();
        assertThat(peers.allows("")).isFalse();
        assertThat(peers.allows("se-1.se-headless.artsore.svc.cluster.local")).as("no port").isFalse();
    }

    @Test
    void besideAnIpLiteralOrASingleLabelHostOnlyTheSameHostIsAPeer() {
        PeerAddresses local = new PeerAddresses("127.0.0.1:9001", List.of());
        assertThat(local.allows("127.0.0.1:9002")).isTrue();
        assertThat(local.allows("127.0.0.2:9002")).isFalse();
        assertThat(local.allows("localhost:9002")).isFalse();
        PeerAddresses bare = new PeerAddresses("node7:8443", List.of());
        assertThat(bare.allows("node7:8444")).isTrue();
        assertThat(bare.allows("node8:8443")).isFalse();
    }

    @Test
    void anExplicitListReplacesTheDerivedRule() {
        PeerAddresses listed = new PeerAddresses("se-a:8010", List.of("se-a:8010", "se-b:8010"));
        assertThat(listed.allows("se-b:8010")).isTrue();
        assertThat(listed.allows("SE-B:8010")).isTrue();
        assertThat(listed.allows("se-c:8010")).isFalse();
        assertThat(listed.allows("se-b:8011")).isFalse();
    }
}
