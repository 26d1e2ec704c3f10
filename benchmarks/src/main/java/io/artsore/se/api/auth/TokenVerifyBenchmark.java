package io.artsore.se.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
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
    public void setUp() throws JOSEException {
        RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
        RSAPublicKey publicKey = key.toRSAPublicKey();
        verifier = new TokenVerifier(kid -> Optional.of(publicKey), TokenVerifier.Options.defaults(),
                Clock.systemUTC(), cachedTokens);
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("bench").issuer("bench")
                .expirationTime(Date.from(now.plusSeconds(3600))).claim("scopes", List.of("files:read", "files:write"))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench").build(), claims);
        jwt.sign(new RSASSASigner(key));
        header = "Bearer " + jwt.serialize();
    }

    @Benchmark
    public Principal verifyReusedToken() {
        return verifier.verify(header);
    }
}
