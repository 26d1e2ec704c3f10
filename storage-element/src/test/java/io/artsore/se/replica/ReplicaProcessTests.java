package io.artsore.se.replica;

import io.artsore.se.testing.TestIssuer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base of the tests that run replicas as child JVMs: one token issuer per class, one cluster per test. */
abstract class ReplicaProcessTests {
    /** Small heaps and C1 only: these children start fast and move little data. */
    static final List<String> SMALL_JVM = List.of("-Xmx192m", "-XX:TieredStopAtLevel=1");

    static TestIssuer issuer;

    @TempDir
    Path root;

    ReplicaCluster cluster;
    ReplicaHttp http;

    @BeforeAll
    static void issuer() throws IOException {
        issuer = new TestIssuer();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A cluster below this test's temp dir with {@code env} on top of the defaults (not started). */
    ReplicaCluster cluster(Map<String, String> env) {
        cluster = new ReplicaCluster(root, issuer, env);
        http = new ReplicaHttp(cluster);
        return cluster;
    }
}
