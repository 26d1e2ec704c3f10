package io.artsore.e2e.jwksmock;

import static org.assertj.core.api.Assertions.assertThat;

import io.artsore.se.api.auth.JwksKeySource;
import io.artsore.se.api.auth.OutboundTls;
import io.artsore.se.api.auth.Principal;
import io.artsore.se.api.auth.TokenVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mock and the storage element's verifier agree: minted tokens verify, also across a key rotation. */
class MockTokensPassTheVerifierTest {

    @Test
    void mintedTokensVerifyAndRotationIsPickedUp() throws Exception {
        try (JwksMock mock = new JwksMock(MockConfig.forTests())) {
            mock.start();
            try (JwksKeySource keys = new JwksKeySource(mock.baseUri().resolve("/jwks"),
                    OutboundTls.httpClient(Optional.empty(), Duration.ofSeconds(2)),
                    Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(2))) {
                keys.start();
                TokenVerifier verifier = new TokenVerifier(keys, new TokenVerifier.Options(
                        Duration.ofSeconds(5), Optional.of("jwks-mock"), Optional.empty()));

                Principal tester = verifier.verify("Bearer " + mock.mint("tester", List.of("files:read"), 60, false));
                assertThat(tester.subject()).isEqualTo("tester");
                assertThat(tester.scopes()).containsExactly("files:read");

                mock.rotate();
                Principal operator = verifier.verify("Bearer " + mock.mint("operator", List.of("storage:write"), 60, true));
                assertThat(operator.scopes()).containsExactly("storage:write");
            }
        }
    }
}
