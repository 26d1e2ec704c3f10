package io.artsore.se.api.auth;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkRSA;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-request token verification ({@link TokenVerifier#verify}) of one reused RS256 token with a 2048-bit key,
 * as a client that sends the same token on every request: with the verified-token cache (the default) and
 * without it ({@code cachedTokens = 0}: parse and RSA signature check every time). Result: µs per request.
 * Lives in the verifier's package because the cache size is not public configuration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenVerifyBenchmark {
    @Param({"10000", "0"})
    public int cachedTokens;

    private TokenVerifier verifier;
    private String header;

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
        verifier = new TokenVerifier(kid -> Optional.of(publicKey), TokenVerifier.Options.defaults(),
                Clock.systemUTC(), cachedTokens);
        JwkRSA key = JwkRSA.builder().keyId("bench").algorithm(JwkRSA.ALG_RS256).publicKey(publicKey)
                .privateKey((RSAPrivateKey) pair.getPrivate()).build();
        Jwt jwt = Jwt.builder().keyId("bench").algorithm(JwkRSA.ALG_RS256).subject("bench").issuer("bench")
                .expirationTime(Instant.now().plusSeconds(3600))
                .addPayloadClaim("scopes", List.of("files:read", "files:write")).build();
        header = "Bearer " + SignedJwt.sign(jwt, key).tokenContent();
    }

    @Benchmark
    public Principal verifyReusedToken() {
        return verifier.verify(header);
    }
}
