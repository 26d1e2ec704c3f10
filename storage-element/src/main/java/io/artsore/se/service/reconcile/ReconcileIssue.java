package io.artsore.se.service.reconcile;

import java.util.UUID;

/**
 * One finding: {@code type} is orphaned_file, missing_file, checksum_mismatch, size_mismatch or orphaned_attr;
 * {@code path} is relative to the data dir.
 */
public record ReconcileIssue(UUID fileId, String path, String type, String description) {
}
