package io.artsore.se.storage.mode;

import io.artsore.se.domain.Mode;
import java.time.Instant;

/** Result of a successful transition (the ModeTransitionResponse of docs/contract.md §2). */
public record ModeChange(Mode previousMode, Mode currentMode, Instant transitionedAt) {
}
