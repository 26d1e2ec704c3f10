package io.artsore.se.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.artsore.se.domain.MetadataLimits;
import java.util.ArrayList;
import java.util.List;

/** JSON shape of the fields shared by upload and PATCH; their limits are {@link MetadataLimits}. */
final class Validation {
    private Validation() {
    }

    static String description(JsonNode value) {
        if (!value.isTextual()) {
            throw ApiException.validation("description must be a string");
        }
        return description(value.asText());
    }

    static String description(String text) {
        MetadataLimits.checkDescription(text);
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
        List<String> tags = new ArrayList<>(value.size());
        for (JsonNode tag : value) {
            if (!tag.isTextual()) {
                throw ApiException.validation("tags must be a JSON array of strings");
            }
            tags.add(tag.asText());
        }
        MetadataLimits.checkTags(tags);
        return List.copyOf(tags);
    }

    /** Echoing client input in an error message is fine, but bounded. */
    static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
