package io.artsore.operator.mode;

/**
 * Next single SE transition towards the desired mode. The SE refuses rw -> ar (docs/contract.md §4) but allows
 * rw -> ro -> ar, so the operator takes the two steps for a spec that says ar; every other pair is sent as
 * asked and the SE decides.
 */
public final class ModePath {
    private ModePath() {
    }

    public static String nextStep(String observed, String desired) {
        if ("rw".equals(observed) && "ar".equals(desired)) {
            return "ro";
        }
        return desired;
    }
}
