package io.artsore.operator.reconcile;

import io.artsore.operator.support.FakeStorageElement;
import io.artsore.operator.support.MockApiServer;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.ReconcileHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fixture the reconcile tests share, written once instead of in every test class: a mock API server with the
 * StorageElement CRD installed and a {@link ReconcileHarness} against it. A test that names an element gets a
 * {@link FakeStorageElement} of that name in mode rw for the operator to talk to (closed after each test); one
 * that does not never reaches an element, and its harness points at a port nothing listens on.
 */
@ExtendWith(MockApiServer.class)
abstract class ReconcileTestBase {
    /** Injected by {@link MockApiServer}. */
    KubernetesClient client;

    ReconcileHarness harness;
    /** Null when the test class names no element. */
    FakeStorageElement element;

    private final String fakeElementName;

    /** No element: the operator is never meant to reach one. */
    ReconcileTestBase() {
        this(null);
    }

    ReconcileTestBase(String fakeElementName) {
        this.fakeElementName = fakeElementName;
    }

    @BeforeEach
    void installCrdAndHarness() throws Exception {
        MockCluster.installCrd(client);
        if (fakeElementName == null) {
            harness = new ReconcileHarness(client, URI.create("http://127.0.0.1:9"));
        } else {
            element = new FakeStorageElement(fakeElementName, "rw", "unused");
            harness = new ReconcileHarness(client, element.baseUri());
        }
    }

    @AfterEach
    void closeElement() {
        if (element != null) {
            element.close();
        }
    }
}
