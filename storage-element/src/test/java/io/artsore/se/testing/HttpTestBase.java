package io.artsore.se.testing;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the HTTP tests: a fresh store directory and token issuer per test, and the server the test
 * starts (in {@code @BeforeEach} or in the test itself, as it needs) stopped after it.
 */
public abstract class HttpTestBase {
    @TempDir
    protected Path root;
    protected TestIssuer issuer;
    protected SeTestServer se;

    @BeforeEach
    void createIssuer() throws Exception {
        issuer = new TestIssuer();
    }

    @AfterEach
    void stopServerAndIssuer() {
        if (se != null) {
            se.close();
        }
        issuer.close();
    }

    /** Starts the server on {@link #root} with these environment overrides; it is stopped after the test. */
    protected SeTestServer startServer(Map<String, String> env) throws Exception {
        se = SeTestServer.start(root, issuer, env);
        return se;
    }
}
