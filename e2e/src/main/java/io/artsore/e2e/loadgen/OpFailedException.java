package io.artsore.e2e.loadgen;

/** An operation got an answer it must not accept (wrong status, short body, missing field). */
final class OpFailedException extends Exception {
    OpFailedException(String message) {
        super(message, null, false, false);
    }
}
