package io.artsore.se.service;

import io.artsore.se.config.ConfigLoader;
import io.artsore.se.config.SeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Configurations for engines on temp dirs. */
public final class TestEngines {
    private TestEngines() {
    }

    public static SeConfig config(Path root, String mode, long maxFileSize, long maxCapacity) {
        return ConfigLoader.load(env(root, mode, maxFileSize, maxCapacity));
    }

    /** The default test configuration with {@code extra} variables on top. */
    public static SeConfig config(Path root, Map<String, String> extra) {
        Map<String, String> env = env(root, "edit", 1 << 20, 1L << 30);
        env.putAll(extra);
        return ConfigLoader.load(env);
    }

    private static Map<String, String> env(Path root, String mode, long maxFileSize, long maxCapacity) {
        Map<String, String> env = new HashMap<>();
        env.put("SE_STORAGE_ID", "se-test");
        env.put("SE_DATA_DIR", root.resolve("data").toString());
        env.put("SE_WAL_DIR", root.resolve("wal").toString());
        env.put("SE_MODE", mode);
        env.put("SE_MAX_FILE_SIZE", Long.toString(maxFileSize));
        env.put("SE_MAX_CAPACITY", Long.toString(maxCapacity));
        env.put("SE_JWKS_URL", "http://127.0.0.1:1/jwks");
        env.put("SE_DEV_INSECURE_HTTP", "true");
        return env;
    }

    public static SeConfig config(Path root) {
        return config(root, "edit", 1 << 20, 1L << 30);
    }
}
