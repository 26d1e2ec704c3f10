package io.artsore.se.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Structured log events: a short event name plus fields (operation, file_id, subject, outcome, ...).
 * The fields travel as the record's single parameter so {@link JsonLogFormatter} can emit them as JSON
 * properties and {@link TextLogFormatter} as {@code key=value} pairs.
 */
public final class Events {
    private Events() {
    }

    public static void log(Logger logger, Level level, String event, Object... keyValues) {
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, event);
        record.setLoggerName(logger.getName());
        record.setParameters(new Object[] {fields(keyValues)});
        logger.log(record);
    }

    public static void log(Logger logger, Level level, String event, Throwable error, Object... keyValues) {
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, event);
        record.setLoggerName(logger.getName());
        record.setThrown(error);
        record.setParameters(new Object[] {fields(keyValues)});
        logger.log(record);
    }

    static Map<String, Object> fields(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return new EventFields(fields);
    }

    /** Marker type so formatters recognise structured fields and never mistake a user parameter for them. */
    static final class EventFields extends LinkedHashMap<String, Object> {
        EventFields(Map<String, Object> fields) {
            super(fields);
        }
    }
}
