package io.artsore.se;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The element's version, stamped into the jar at build time. */
public final class BuildInfo {
    public static final String SERVICE = "storage-element";
    private static final String VERSION = load();

    private BuildInfo() {
    }

    public static String version() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
