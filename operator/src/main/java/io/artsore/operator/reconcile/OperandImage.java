package io.artsore.operator.reconcile;

import io.artsore.operator.crd.StorageElementSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The element image: {@code spec.image} when set, else the operator's default - the element release of the
 * operator's own version ({@code artsore/storage-element:<operator version>}, the version written into
 * operator-version.properties by the build), or {@code OPERATOR_ELEMENT_IMAGE} when set (the operator chart sets
 * it to its element repository and appVersion). Never {@code :latest}.
 */
public final class OperandImage {
    public static final String REPOSITORY = "artsore/storage-element";
    public static final String ENV = "OPERATOR_ELEMENT_IMAGE";
    private static final String DEFAULT = resolve(System.getenv(), operatorVersion());

    private OperandImage() {
    }

    public static String of(StorageElementSpec spec) {
        return spec.image != null && !spec.image.isBlank() ? spec.image : DEFAULT;
    }

    /** The default image of this process. */
    public static String defaultImage() {
        return DEFAULT;
    }

    static String resolve(Map<String, String> env, String operatorVersion) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return REPOSITORY + ":" + operatorVersion;
    }

    /** The operator's release version, as the build recorded it. */
    public static String operatorVersion() {
        try (InputStream in = OperandImage.class.getResourceAsStream("/io/artsore/operator/operator-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("operator-version.properties missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").trim();
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException("operator-version.properties was not filtered by the build");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
