package io.artsore.operator.mode;

import java.util.Set;

/** Outcome of POST /api/v1/mode/transition. */
public sealed interface TransitionResult {

    record Accepted(String previousMode, String currentMode) implements TransitionResult {
    }

    /** The element answered with the contract's error envelope. */
    record Refused(int httpStatus, String code, String message) implements TransitionResult {
        /** Codes that repeat verbatim until the spec changes: retrying them is pointless. */
        private static final Set<String> FINAL_CODES = Set.of("INVALID_TRANSITION", "CONFIRMATION_REQUIRED");

        public boolean isFinal() {
            return httpStatus == 409 && FINAL_CODES.contains(code);
        }
    }
}
