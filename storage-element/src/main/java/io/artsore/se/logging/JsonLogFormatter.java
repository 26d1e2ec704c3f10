package io.artsore.se.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** One JSON object per line: ts, level, logger, msg, structured fields, and the error if any. */
public final class JsonLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        StringBuilder sb = new StringBuilder(256);
        sb.append('{');
        field(sb, "ts", Instant.ofEpochMilli(record.getMillis()).toString());
        sb.append(',');
        field(sb, "level", LogLevels.name(record.getLevel()));
        sb.append(',');
        field(sb, "logger", record.getLoggerName());
        sb.append(',');
        Map<String, Object> fields = LogLevels.structuredFields(record);
        field(sb, "msg", fields != null ? record.getMessage() : formatMessage(record));
        if (fields != null) {
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                sb.append(',');
                field(sb, e.getKey(), e.getValue());
            }
        }
        if (record.getThrown() != null) {
            sb.append(',');
            field(sb, "error", String.valueOf(record.getThrown()));
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append(',');
            field(sb, "stack", trace.toString());
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static void field(StringBuilder sb, String key, Object value) {
        quote(sb, key);
        sb.append(':');
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else {
            quote(sb, String.valueOf(value));
        }
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Unprintables.isUnprintable(c)) {
                        Unprintables.appendEscaped(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
