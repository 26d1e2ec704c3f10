package io.artsore.se.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.service.StorageEngine;
import java.util.ArrayList;
import java.util.List;

/** Field rules shared by upload and PATCH: description ≤ 1000 characters, tags a bounded array of strings. */
final class Validation {
    static final int MAX_TAGS = 100;
    static final int MAX_TAG_LENGTH = 256;

    private Validation() {
    }

    static String description(JsonNode value) {
        if (!value.isTextual()) {
            throw ApiException.validation("description must be a string");
        }
        return description(value.asText());
    }

    static String description(String text) {
        if (text.codePointCount(0, text.length()) > StorageEngine.MAX_DESCRIPTION_LENGTH) {
            throw ApiException.validation("description is longer than " + StorageEngine.MAX_DESCRIPTION_LENGTH
                    + " characters");
        }
        return text;
    }

    /** {@code tags} form field: a JSON array of strings as text. */
    static List<String> tagsFromText(String text) {
        try {
            return tags(Json.mapper().readTree(text));
        } catch (JacksonException e) {
            throw ApiException.validation("tags must be a JSON array of strings");
        }
    }

    static List<String> tags(JsonNode value) {
        if (value == null || !value.isArray()) {
            throw ApiException.validation("tags must be a JSON array of strings");
        }
        if (value.size() > MAX_TAGS) {
            throw ApiException.validation("at most " + MAX_TAGS + " tags are allowed");
        }
        List<String> tags = new ArrayList<>(value.size());
        for (JsonNode tag : value) {
            if (!tag.isTextual()) {
                throw ApiException.validation("tags must be a JSON array of strings");
            }
            String t = tag.asText();
            if (t.isEmpty() || t.length() > MAX_TAG_LENGTH) {
                throw ApiException.validation("each tag must have 1 to " + MAX_TAG_LENGTH + " characters");
            }
            tags.add(t);
        }
        return List.copyOf(tags);
    }

    /** Echoing client input in an error message is fine, but bounded. */
    static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
