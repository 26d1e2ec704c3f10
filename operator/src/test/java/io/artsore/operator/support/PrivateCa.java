package io.artsore.operator.support;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a server certificate it signed for 127.0.0.1, as PEM files shaped like a cert-manager TLS
 * Secret (ca.crt, tls.crt, tls.key). Made with the JDK's keytool, so no crypto library is needed.
 */
public record PrivateCa(Path caCrt, Path tlsCrt, Path tlsKey) {
    private static final String PASSWORD = "changeit";

    public static PrivateCa create(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        Path caCrt = dir.resolve("ca.crt");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Artsore test CA",
                "-ext", "bc:c", "-validity", "3", "-keystore", ca.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD,
                "-file", caCrt.toString());
        return issue(caCrt, dir, "ip:127.0.0.1");
    }

    /**
     * Another server certificate from this CA, in {@code dir} (tls.crt, tls.key, and ca.crt copied alongside),
     * e.g. what cert-manager issues for a Certificate's DNS names.
     *
     * @param subjectAltNames keytool SAN entries such as {@code dns:se-01.storage.svc} or {@code ip:127.0.0.1}
     */
    public PrivateCa issue(Path dir, String... subjectAltNames) throws Exception {
        Files.createDirectories(dir);
        PrivateCa leaf = issue(caCrt, dir, subjectAltNames);
        if (!leaf.caCrt().equals(caCrt)) {
            Files.copy(caCrt, leaf.caCrt(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return leaf;
    }

    private static PrivateCa issue(Path caCrt, Path dir, String... subjectAltNames) throws Exception {
        Path ca = caCrt.resolveSibling("ca.p12");
        Path server = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        PrivateCa files = new PrivateCa(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        Files.deleteIfExists(server);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=se-ca",
                "-validity", "3", "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", PASSWORD,
                "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD,
                "-infile", csr.toString(), "-outfile", files.tlsCrt().toString(), "-validity", "2",
                "-ext", "SAN=" + String.join(",", subjectAltNames), "-ext", "EKU=serverAuth");
        Files.writeString(files.tlsKey(), pkcs8Pem(server));
        return files;
    }

    private static String pkcs8Pem(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("server", PASSWORD.toCharArray());
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // a short-lived tool: C1 only and the serial collector start it faster, much so on a loaded machine
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
