package io.artsore.se.logging;

import java.util.Locale;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Maps the contract's log levels onto java.util.logging and installs the chosen formatter. */
public final class LogLevels {
    private LogLevels() {
    }

    public static Level toJul(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.INFO;
        };
    }

    static String name(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "error";
        }
        if (v >= Level.WARNING.intValue()) {
            return "warn";
        }
        if (v >= Level.INFO.intValue()) {
            return "info";
        }
        return "debug";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> structuredFields(LogRecord record) {
        Object[] params = record.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof Events.EventFields fields) {
            return fields;
        }
        return null;
    }

    /** Replaces the root handlers with one stderr handler using the JSON or text format. */
    public static void install(String level, String format) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level jul = toJul(level);
        root.setLevel(jul);
        Handler handler = new ConsoleHandler();
        handler.setLevel(jul);
        Formatter formatter = "text".equalsIgnoreCase(format) ? new TextLogFormatter() : new JsonLogFormatter();
        handler.setFormatter(formatter);
        root.addHandler(handler);
        // Helidon is chatty at FINE; keep library noise at INFO unless asked for debug explicitly.
        if (jul.intValue() < Level.INFO.intValue()) {
            Logger.getLogger("io.helidon").setLevel(Level.INFO);
        }
    }
}
