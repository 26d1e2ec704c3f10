package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import java.util.List;

/** One page of the ordered index and the total number of entries that match the filter. */
public record IndexPage(List<FileMetadata> items, long total) {
}
