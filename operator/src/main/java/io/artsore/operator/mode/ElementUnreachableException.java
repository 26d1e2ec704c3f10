package io.artsore.operator.mode;

/** The element did not answer, or answered outside the contract. */
public class ElementUnreachableException extends Exception {
    public ElementUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ElementUnreachableException(String message) {
        super(message);
    }
}
