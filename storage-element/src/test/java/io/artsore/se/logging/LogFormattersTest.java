package io.artsore.se.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Client-controlled text in a log event can neither break its line nor reach a terminal raw (review L8). */
class LogFormattersTest {
    /** ESC sequence, C1 NEL, DEL, line and paragraph separators, a bidi override, CR/LF, and plain non-ASCII. */
    private static final String HOSTILE = "part\u001b[2J\u0085\u007f\u2028\u2029\u202eevil\r\nname ж";

    private static LogRecord event() {
        LogRecord record = new LogRecord(Level.WARNING, "upload_refused " + HOSTILE);
        record.setLoggerName("test");
        record.setParameters(new Object[] {Events.fields("reason", HOSTILE, "size", 3)});
        return record;
    }

    @Test
    void theTextFormatWritesOneLineWithEveryUnprintableCharacterEscaped() {
        String line = new TextLogFormatter().format(event());
        assertThat(line).endsWith("\n");
        String body = line.substring(0, line.length() - 1);
        assertThat(body.chars().filter(c -> Unprintables.isUnprintable((char) c))).isEmpty();
        assertThat(body).contains("reason=part\\u001b[2J\\u0085\\u007f\\u2028\\u2029\\u202eevil\\u000d\\u000aname ж")
                .contains("size=3");
    }

    @Test
    void theJsonFormatEscapesThemTooAndTheValueRoundTrips() throws Exception {
        String line = new JsonLogFormatter().format(event());
        String body = line.substring(0, line.length() - 1);
        assertThat(body.chars().filter(c -> Unprintables.isUnprintable((char) c))).isEmpty();
        JsonNode parsed = new ObjectMapper().readTree(body);
        assertThat(parsed.path("reason").asText()).isEqualTo(HOSTILE);
        assertThat(parsed.path("size").asInt()).isEqualTo(3);
    }
}
