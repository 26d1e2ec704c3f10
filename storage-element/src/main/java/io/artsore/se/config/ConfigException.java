package io.artsore.se.config;

/** Invalid startup configuration. The message names the variable and the reason (never a secret value). */
public final class ConfigException extends RuntimeException {
    private final String variable;

    public ConfigException(String variable, String reason) {
        super(variable + ": " + reason);
        this.variable = variable;
    }

    /** The environment variable at fault. */
    public String variable() {
        return variable;
    }
}
