package io.artsore.se.service.reconcile;

import io.artsore.se.domain.FileMetadata;
import io.artsore.se.logging.Events;
import io.artsore.se.service.StorageEngine;
import io.artsore.se.service.scrub.ContentHash;
import io.artsore.se.service.scrub.ScrubLedger;
import io.artsore.se.storage.attr.AtomicFiles;
import io.artsore.se.storage.attr.AttrCodec;
import io.artsore.se.storage.attr.CorruptAttrException;
import io.artsore.se.storage.filestore.ContentFiles;
import io.artsore.se.storage.filestore.DataFileNames;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reconciliation run's findings. Issue types (every attr.json examined gets at most one):
 * <ul>
 *   <li>{@code orphaned_attr}, path = the attr.json: it cannot be read as metadata (corrupt JSON or fields;
 *       the data file next to it is then not reported separately — it is kept, unindexed); or its
 *       {@code storage_path} names another file than the one next to it; or its {@code file_id} is already
 *       described by another attr.json (the one whose storage_path matches its own location, else the first
 *       by path, stays indexed).</li>
 *   <li>{@code missing_file}, path = the data file named by the attr.json, which does not exist, or is not a
 *       regular file (a symbolic link, FIFO or device planted on the volume is never served).</li>
 *   <li>{@code size_mismatch}, path = the data file, whose size differs from the attr.json.</li>
 *   <li>{@code checksum_mismatch}, path = the data file, whose content hashes differently (scrubber, or
 *       full verification in this run).</li>
 *   <li>{@code orphaned_file}, path = a data file no attr.json claims ({@code file_id} parsed from its name
 *       when it follows the naming scheme); also a link, FIFO or device no attr.json claims.</li>
 * </ul>
 * Candidates of orphaned_file and missing_file are re-checked on disk after the scan and skipped when a
 * write in flight names them, so an upload or purge running during the scan is not reported.
 */
final class ReconcilePass implements StorageEngine.IndexSource {
    private static final Logger LOG = Logger.getLogger(ReconcilePass.class.getName());
    private static final Pattern TRAILING_UUID = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\\.[A-Za-z0-9]*)?$");

    /** A readable attr.json whose data file is expected at its storage path (the ones content checks cover). */
    private record Described(String sidecar, FileMetadata meta) {
    }

    private final Path dataDir;
    private final Path walDir;
    private final Set<String> inFlight;
    private final List<ReconcileIssue> issues = new ArrayList<>();
    private final Set<UUID> unreadable = new HashSet<>();
    private final List<ReconcileIssue> onDiskCandidates = new ArrayList<>();
    private final List<Described> checkable = new ArrayList<>();
    private List<DataDirListing.Temp> temps = List.of();
    private long filesChecked;

    ReconcilePass(Path dataDir, Path walDir, Set<String> inFlightBefore) {
        this.dataDir = dataDir;
        this.walDir = walDir;
        this.inFlight = new HashSet<>(inFlightBefore);
    }

    @Override
    public Set<UUID> unreadableIds() {
        return Set.copyOf(unreadable);
    }

    /** The structural pass; returns the metadata the new index holds (one entry per file id). */
    @Override
    public List<FileMetadata> scan() throws IOException {
        DataDirListing listing = DataDirListing.of(dataDir, walDir);
        temps = listing.temps;
        Map<UUID, List<Described>> byId = new LinkedHashMap<>();
        Set<String> claimed = new HashSet<>();
        for (var sidecar : listing.sidecars.entrySet()) {
            DataDirListing.stopIfInterrupted();
            String rel = sidecar.getKey();
            claimed.add(DataDirListing.dataPathOf(rel));
            FileMetadata m;
            try {
                m = AttrCodec.read(sidecar.getValue(), dataDir);
            } catch (NoSuchFileException e) {
                continue; // purged during the scan: not examined
            } catch (CorruptAttrException e) {
                filesChecked++;
                DataFileNames.fileIdOf(sidecar.getValue().getFileName().toString()).ifPresent(unreadable::add);
                issues.add(new ReconcileIssue(null, rel, IssueType.ORPHANED_ATTR, "corrupt attr.json (" + e.reason()
                        + "); not indexed, its data file is kept"));
                continue;
            }
            filesChecked++;
            claimed.add(m.storagePath());
            byId.computeIfAbsent(m.fileId(), id -> new ArrayList<>()).add(new Described(rel, m));
        }
        List<FileMetadata> indexed = new ArrayList<>(byId.size());
        for (List<Described> sameId : byId.values()) {
            Described primary = sameId.stream()
                    .filter(ReconcilePass::atOwnLocation)
                    .min(Comparator.comparing(Described::sidecar))
                    .orElseGet(() -> sameId.stream().min(Comparator.comparing(Described::sidecar)).orElseThrow());
            indexed.add(primary.meta());
            for (Described d : sameId) {
                if (d != primary) {
                    issues.add(new ReconcileIssue(d.meta().fileId(), d.sidecar(), IssueType.ORPHANED_ATTR,
                            "file_id is also described by " + primary.sidecar() + "; this attr.json is not indexed"));
                } else if (!atOwnLocation(d)) {
                    issues.add(new ReconcileIssue(d.meta().fileId(), d.sidecar(), IssueType.ORPHANED_ATTR,
                            "storage_path points to " + d.meta().storagePath()
                                    + ", not to the data file next to this attr.json"));
                } else {
                    checkData(d, listing);
                }
            }
        }
        for (var data : listing.dataFiles.keySet()) {
            if (!claimed.contains(data)) {
                onDiskCandidates.add(new ReconcileIssue(fileIdFromName(data), data, IssueType.ORPHANED_FILE,
                        "data file without attr.json"));
            }
        }
        listing.notRegular.forEach((path, kind) -> {
            if (!claimed.contains(path)) {
                onDiskCandidates.add(new ReconcileIssue(fileIdFromName(path), path, IssueType.ORPHANED_FILE,
                        "a " + kind + " without attr.json, not a regular file"));
            }
        });
        return indexed;
    }

    private static boolean atOwnLocation(Described d) {
        return d.meta().storagePath().equals(DataDirListing.dataPathOf(d.sidecar()));
    }

    private void checkData(Described d, DataDirListing listing) {
        FileMetadata m = d.meta();
        Long size = listing.dataFiles.get(m.storagePath());
        String notRegular = listing.notRegular.get(m.storagePath());
        if (notRegular != null) {
            onDiskCandidates.add(new ReconcileIssue(m.fileId(), m.storagePath(), IssueType.MISSING_FILE,
                    "attr.json " + d.sidecar() + " describes a data file that is a " + notRegular
                            + ", not a regular file; it is not served"));
        } else if (size == null) {
            onDiskCandidates.add(new ReconcileIssue(m.fileId(), m.storagePath(), IssueType.MISSING_FILE,
                    "attr.json " + d.sidecar() + " describes a data file that does not exist"));
        } else if (size != m.size()) {
            issues.add(new ReconcileIssue(m.fileId(), m.storagePath(), IssueType.SIZE_MISMATCH,
                    "data file has " + size + " bytes, attr.json says " + m.size()));
        } else {
            checkable.add(d);
        }
    }

    /**
     * Keeps the orphaned_file and missing_file candidates that still hold now and that no write in flight (at
     * the start or now) names: a file being uploaded or purged while the scan ran is not an issue.
     */
    void recheck(Set<String> inFlightAfter) {
        inFlight.addAll(inFlightAfter);
        for (ReconcileIssue c : onDiskCandidates) {
            if (inFlight.contains(c.path())) {
                continue;
            }
            Path data = dataDir.resolve(c.path());
            // links are judged as themselves: one to an existing file is still not a data file
            boolean stillTrue = c.type().equals(IssueType.ORPHANED_FILE)
                    ? Files.exists(data, LinkOption.NOFOLLOW_LINKS)
                            && !Files.exists(dataDir.resolve(c.path() + AttrCodec.SUFFIX), LinkOption.NOFOLLOW_LINKS)
                    : !Files.isRegularFile(data, LinkOption.NOFOLLOW_LINKS);
            if (stillTrue) {
                issues.add(c);
            }
        }
        onDiskCandidates.clear();
    }

    /**
     * Reports checksum mismatches: with {@code fullVerify} by hashing every checkable file now (the ledger is
     * updated too), otherwise as the scrubber recorded them for the current metadata.
     */
    void checkContent(boolean fullVerify, ScrubLedger ledger, Clock clock) throws IOException {
        for (Described d : checkable) {
            FileMetadata m = d.meta();
            if (fullVerify) {
                String actual;
                try {
                    actual = ContentHash.sha256(dataDir, dataDir.resolve(m.storagePath()), null, n -> { });
                } catch (NoSuchFileException | ContentFiles.NotRegularContentException e) {
                    continue; // purged or replaced since the scan: the next run reports what is there now
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("verification interrupted");
                }
                ledger.record(m.fileId(), m.storagePath(), m.checksum(), actual, clock.instant());
                if (!actual.equals(m.checksum())) {
                    issues.add(mismatch(m, actual, "full verification"));
                }
            } else {
                ledger.mismatch(m.fileId())
                        .filter(x -> x.expected().equals(m.checksum()) && x.storagePath().equals(m.storagePath()))
                        .ifPresent(x -> issues.add(mismatch(m, x.actual(), "scrubber at " + x.detectedAt())));
            }
        }
    }

    private static ReconcileIssue mismatch(FileMetadata m, String actual, String foundBy) {
        return new ReconcileIssue(m.fileId(), m.storagePath(), IssueType.CHECKSUM_MISMATCH,
                "content hashes to " + actual + ", attr.json says " + m.checksum() + " (found by " + foundBy + ")");
    }

    /** Deletes temp files last modified before {@code cutoff} that no write in flight names; returns how many. */
    int removeStaleTemps(Instant cutoff) {
        int removed = 0;
        for (DataDirListing.Temp t : temps) {
            if (t.modified().isBefore(cutoff) && !inFlight.contains(t.relativePath())) {
                try {
                    if (AtomicFiles.deleteDurably(t.path())) {
                        removed++;
                        Events.log(LOG, Level.INFO, "stale_temp_removed", "path", t.relativePath(),
                                "last_modified", t.modified());
                    }
                } catch (IOException e) {
                    Events.log(LOG, Level.WARNING, "stale_temp_not_removed", "path", t.relativePath(),
                            "reason", e.getMessage());
                }
            }
        }
        return removed;
    }

    long filesChecked() {
        return filesChecked;
    }

    /** Every issue, ordered by path then type (stable output for humans and tests). */
    List<ReconcileIssue> issues() {
        List<ReconcileIssue> sorted = new ArrayList<>(issues);
        sorted.sort(Comparator.comparing(ReconcileIssue::path).thenComparing(ReconcileIssue::type));
        return sorted;
    }

    private static UUID fileIdFromName(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        Matcher m = TRAILING_UUID.matcher(name);
        return m.find() ? UUID.fromString(m.group(1)) : null;
    }
}
