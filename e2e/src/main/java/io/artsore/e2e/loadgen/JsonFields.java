package io.artsore.e2e.loadgen;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the few fields the generator needs from the flat JSON of the contract (file_id, has_more) without
 * a JSON library; values are simple strings and booleans, never nested under the same names.
 */
final class JsonFields {

    private JsonFields() {
    }

    static String string(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static boolean bool(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(true|false)").matcher(json);
        return m.find() && m.group(1).equals("true");
    }

    static int occurrences(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:").matcher(json);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
