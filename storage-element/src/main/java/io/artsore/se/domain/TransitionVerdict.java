package io.artsore.se.domain;

/** Outcome of checking a requested mode transition; the non-OK values are the contract's error codes. */
public enum TransitionVerdict {
    ALLOWED, INVALID_TRANSITION, CONFIRMATION_REQUIRED
}
