package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import java.nio.file.Path;

/** Reads one attr.json sidecar; supplied to {@link IndexBuilder} by the storage layer (the JSON codec). */
@FunctionalInterface
public interface AttrParser {
    FileMetadata parse(Path attrFile) throws Exception;
}
