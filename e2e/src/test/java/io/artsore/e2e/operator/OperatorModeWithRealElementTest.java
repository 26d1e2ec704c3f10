package io.artsore.e2e.operator;

import io.artsore.e2e.jwksmock.JwksMock;
import io.artsore.e2e.jwksmock.MockConfig;
import io.artsore.operator.mode.ModeViaSpecContract;
import io.artsore.operator.support.ElementUnderTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's mode-via-spec tests (rw → ro, ro → rw with and without confirmRollback, edit → rw refused
 * without retry storms, a rejected token) against a real storage element process with real JWT checks.
 */
class OperatorModeWithRealElementTest extends ModeViaSpecContract {
    @TempDir
    Path root;
    private JwksMock issuer;
    private String token;

    @BeforeEach
    void startIssuer() throws Exception {
        issuer = new JwksMock(MockConfig.forTests());
        issuer.start();
        token = issuer.mint("se-operator", List.of("storage:write"), 3600, false);
    }

    @AfterEach
    void stopIssuer() {
        issuer.close();
    }

    @Override
    protected ElementUnderTest startElement(String name, String mode) throws Exception {
        return RealElement.start(root, name, mode, issuer.baseUri().resolve("/jwks"));
    }

    @Override
    protected String storageWriteToken() {
        return token;
    }
}
