package io.artsore.se.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed certificate for 127.0.0.1 made with the JDK's keytool (no extra crypto library needed). */
public record SelfSignedTls(Path keyStore, char[] password, Path certificatePem) {

    /** Valid from now for two days. */
    public static SelfSignedTls create(Path dir) throws Exception {
        return create(dir, null);
    }

    /**
     * @param startDate keytool's {@code -startdate}, e.g. {@code -10d} for a certificate that expired already
     *                  (valid for two days from then); null for now
     */
    public static SelfSignedTls create(Path dir, String startDate) throws Exception {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> generate = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit"));
        if (startDate != null) {
            generate.addAll(List.of("-startdate", startDate));
        }
        run(generate);
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-file", pem.toString()));
        return new SelfSignedTls(keyStore, "changeit".toCharArray(), pem);
    }

    public SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(), password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** The private key as PEM (PKCS#8), as SE_TLS_KEY takes it. */
    public String privateKeyPem() throws Exception {
        byte[] der = load().getKey("server", password).getEncoded();
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
    }

    private KeyStore load() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        return ks;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
