package io.artsore.e2e.jwksmock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwksMockTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private JwksMock mock;

    @BeforeEach
    void start() throws Exception {
        mock = new JwksMock(MockConfig.forTests());
        mock.start();
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mock.baseUri().resolve(path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JWKSet jwks() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mock.baseUri().resolve("/jwks")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return JWKSet.parse(response.body());
    }

    private SignedJWT verified(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey key = (RSAKey) jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid %s published", jwt.getHeader().getKeyID()).isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        return jwt;
    }

    @Test
    void jwksPublishesOnePublicRs256SigningKey() throws Exception {
        JWKSet set = jwks();
        assertThat(set.getKeys()).hasSize(1);
        RSAKey key = (RSAKey) set.getKeys().getFirst();
        assertThat(key.getKeyID()).isEqualTo(mock.currentKid());
        assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
        assertThat(key.getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(key.isPrivate()).isFalse();
    }

    @Test
    void tokenEndpointMintsVerifiableTokens() throws Exception {
        HttpResponse<String> response = post("/token", "application/json",
                "{\"sub\":\"alice\",\"scopes\":[\"files:read\",\"files:write\"],\"ttl_seconds\":600}");
        assertThat(response.statusCode()).isEqualTo(200);
        SignedJWT jwt = verified(JSON.readTree(response.body()).path("token").asText());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("scopes")).containsExactly("files:read", "files:write");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("jwks-mock");
        assertThat(jwt.getJWTClaimsSet().getIssueTime()).isNotNull();
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
                .isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
    }

    @Test
    void scopeStringModeMintsKeycloakStyleTokensAndNegativeTtlExpiredOnes() throws Exception {
        HttpResponse<String> response = post("/token", "application/json",
                "{\"sub\":\"op\",\"scopes\":[\"storage:write\",\"files:read\"],\"ttl_seconds\":-60,\"scope_string\":true}");
        SignedJWT jwt = verified(JSON.readTree(response.body()).path("token").asText());
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("storage:write files:read");
        assertThat(jwt.getJWTClaimsSet().getClaim("scopes")).isNull();
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isBefore(Instant.now());
    }

    @Test
    void rotationReplacesTheKidAndDropsTheOldKey() throws Exception {
        String before = mock.currentKid();
        String oldToken = mock.mint("alice", List.of(), 60, false);
        HttpResponse<String> response = post("/rotate", "application/json", "");
        String after = JSON.readTree(response.body()).path("kid").asText();

        assertThat(after).isNotEqualTo(before).isEqualTo(mock.currentKid());
        assertThat(jwks().getKeys()).extracting(k -> k.getKeyID()).containsExactly(after);
        assertThat(jwks().getKeyByKeyId(SignedJWT.parse(oldToken).getHeader().getKeyID())).isNull();
        assertThat(SignedJWT.parse(mock.mint("alice", List.of(), 60, false)).getHeader().getKeyID()).isEqualTo(after);
    }

    @Test
    void clientCredentialsGrantWorksWithFormAndBasicCredentials() throws Exception {
        HttpResponse<String> form = post("/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=admin-module&client_secret=s3cret&scope=files%3Aread+storage%3Awrite");
        assertThat(form.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(form.body());
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isPositive();
        SignedJWT jwt = verified(body.path("access_token").asText());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("admin-module");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("files:read storage:write");

        String basic = Base64.getEncoder().encodeToString("operator:pw".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> viaBasic = post("/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials", "Authorization", "Basic " + basic);
        assertThat(verified(JSON.readTree(viaBasic.body()).path("access_token").asText()).getJWTClaimsSet().getSubject())
                .isEqualTo("operator");

        HttpResponse<String> wrongGrant = post("/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=password&client_id=x");
        assertThat(wrongGrant.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongGrant.body()).path("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void configuredClientsMustPresentTheirSecret() throws Exception {
        mock.close();
        mock = new JwksMock(MockConfig.from(Map.of(), new String[] {"MOCK_PORT=0", "MOCK_CLIENTS=op:right"}));
        mock.start();
        HttpResponse<String> wrong = post("/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=op&client_secret=wrong");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("invalid_client");
        HttpResponse<String> right = post("/oauth/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=op&client_secret=right");
        assertThat(right.statusCode()).isEqualTo(200);
    }

    @Test
    void wrongMethodsPathsAndBodiesAreClientErrors() throws Exception {
        assertThat(http.send(HttpRequest.newBuilder(mock.baseUri().resolve("/token")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(http.send(HttpRequest.newBuilder(mock.baseUri().resolve("/jwks/extra")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(post("/token", "application/json", "not json").statusCode()).isEqualTo(400);
    }

    @Test
    void servesHttpsWithPemCertificateAndKey(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("tls.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "tls", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("keytool").isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("tls");
        Path certPem = Files.writeString(dir.resolve("tls.crt"), pem("CERTIFICATE", cert.getEncoded()));
        Path keyPem = Files.writeString(dir.resolve("tls.key"),
                pem("PRIVATE KEY", ks.getKey("tls", "changeit".toCharArray()).getEncoded()));

        mock.close();
        mock = new JwksMock(new MockConfig("127.0.0.1", 0, "jwks-mock", Optional.of(certPem), Optional.of(keyPem), Map.of()));
        mock.start();
        assertThat(mock.baseUri().getScheme()).isEqualTo("https");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("tls", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient trusting = HttpClient.newBuilder().sslContext(ssl).build();
        URI jwksUri = mock.baseUri().resolve("/jwks");
        HttpResponse<String> response = trusting.send(HttpRequest.newBuilder(jwksUri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JWKSet.parse(response.body()).getKeys()).hasSize(1);
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(jwksUri).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
