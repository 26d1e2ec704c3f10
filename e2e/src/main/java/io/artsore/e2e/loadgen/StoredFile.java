package io.artsore.e2e.loadgen;

/** A file the generator uploaded: its key on the target (SE file_id or WebDAV name) and its size. */
record StoredFile(String key, long size) {
}
