package io.artsore.se.storage.mode;

import io.artsore.se.domain.Mode;
import java.time.Instant;

/** Content of {@code mode.json}: the mode, when it was set and by whom (JWT subject). */
public record PersistedMode(Mode mode, Instant updatedAt, String updatedBy) {
}
