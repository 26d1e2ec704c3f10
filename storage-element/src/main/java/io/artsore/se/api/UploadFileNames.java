package io.artsore.se.api;

import io.artsore.se.domain.MetadataLimits;

/**
 * The client's file name, reduced to a base name. Path tricks are refused rather than silently repaired:
 * a client that sends {@code ../../etc/passwd} gets a clear 400 and nothing is stored.
 */
final class UploadFileNames {
    private UploadFileNames() {
    }

    static String baseName(String filename) {
        if (filename == null || filename.isEmpty()) {
            throw ApiException.validation("the file part needs a filename");
        }
        if (MetadataLimits.characters(filename) > MetadataLimits.MAX_FILENAME_CHARS) {
            throw ApiException.validation("file name longer than " + MetadataLimits.MAX_FILENAME_CHARS
                    + " characters");
        }
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw ApiException.validation("file name must not contain control characters");
            }
        }
        String[] segments = filename.split("[/\\\\]", -1);
        for (String segment : segments) {
            if (segment.equals("..")) {
                throw ApiException.validation("file name must not contain '..' path segments");
            }
        }
        String base = segments[segments.length - 1];
        if (base.isBlank() || base.equals(".")) {
            throw ApiException.validation("file name must not be empty or a directory");
        }
        return base;
    }
}
