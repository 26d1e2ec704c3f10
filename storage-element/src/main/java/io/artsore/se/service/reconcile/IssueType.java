package io.artsore.se.service.reconcile;

/** The contract's ReconcileIssue types. */
final class IssueType {
    static final String ORPHANED_FILE = "orphaned_file";
    static final String MISSING_FILE = "missing_file";
    static final String CHECKSUM_MISMATCH = "checksum_mismatch";
    static final String SIZE_MISMATCH = "size_mismatch";
    static final String ORPHANED_ATTR = "orphaned_attr";

    private IssueType() {
    }
}
