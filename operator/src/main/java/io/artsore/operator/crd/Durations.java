package io.artsore.operator.crd;

/** Duration strings as the SE accepts them (docs/contract.md §12): a positive integer and a unit. */
public final class Durations {
    public static final String PATTERN = "^[1-9][0-9]*(s|m|h)$";

    private Durations() {
    }
}
