package io.artsore.se.api;

import io.artsore.se.domain.MetadataLimits;

/**
 * The client's file name, reduced to a base name. Path tricks are refused rather than silently repaired:
 * a client that sends {@code ../../etc/passwd} gets a clear 400 and nothing is stored. So are characters that
 * make a name display as something else in the consumers' UIs (security review I4): controls (C0, DEL, C1),
 * line separators, bidirectional marks, embeddings, overrides and isolates ({@code report}, U+202E,
 * {@code fdp.exe} shows as {@code reportexe.pdf}), and invisible ones (zero-width space, word joiner, invisible
 * operators, BOM). Zero-width (non-)joiners stay allowed: Persian and Indic words and emoji sequences need them.
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
        if (filename.codePoints().anyMatch(UploadFileNames::misleading)) {
            throw ApiException.validation("file name must not contain control, bidirectional or invisible characters");
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

    private static boolean misleading(int cp) {
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)
                || cp == 0x061c || cp == 0x200b || cp == 0x200e || cp == 0x200f
                || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0xfeff;
    }
}
