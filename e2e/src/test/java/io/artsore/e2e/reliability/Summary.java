package io.artsore.e2e.reliability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The one-line figures each reliability test prints, so CI logs show what was tried and what failed. */
final class Summary {
    private final String name;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    Summary(String name) {
        this.name = name;
    }

    Summary put(String key, Object value) {
        figures.put(key, value);
        return this;
    }

    void print() {
        System.out.println("RELIABILITY " + name + ": " + figures.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
    }
}
