package io.artsore.operator.reconcile;

/** Where the pod template mounts things; the SE_* variables point at these paths. */
public final class PodPaths {
    public static final String DATA = "/data";
    public static final String WAL = "/wal";
    public static final String CERTS = "/certs";
    public static final String CA = "/etc/artsore/ca";
    public static final String TMP = "/tmp";
    public static final String TLS_CERT = CERTS + "/tls.crt";
    public static final String TLS_KEY = CERTS + "/tls.key";

    private PodPaths() {
    }
}
