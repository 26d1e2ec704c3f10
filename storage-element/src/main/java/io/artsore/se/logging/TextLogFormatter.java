package io.artsore.se.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Human-readable single-line logs: {@code ts LEVEL logger msg key=value ...}; unprintable characters in the
 * message and the values are escaped ({@link Unprintables}), so one record is one line.
 */
public final class TextLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        StringBuilder sb = new StringBuilder(200);
        sb.append(Instant.ofEpochMilli(record.getMillis())).append(' ')
                .append(LogLevels.name(record.getLevel())).append(' ')
                .append(record.getLoggerName()).append(' ');
        Map<String, Object> fields = LogLevels.structuredFields(record);
        sb.append(Unprintables.escape(String.valueOf(fields != null ? record.getMessage() : formatMessage(record))));
        if (fields != null) {
            fields.forEach((k, v) -> sb.append(' ').append(k).append('=')
                    .append(Unprintables.escape(String.valueOf(v))));
        }
        sb.append('\n');
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append(trace);
        }
        return sb.toString();
    }
}
