package io.artsore.se.storage.index;

import io.artsore.se.domain.FileMetadata;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds a new {@link FileIndex} from the attr.json sidecars below a data dir, in any layout (sharded or
 * flat): directories are listed and files parsed in parallel on a small fork-join pool, each directory and
 * each batch of attr files being one task, so a flat directory of a million files is parsed in parallel too.
 *
 * <p>Skipped: names starting with '.' (temp files, {@code .leader.*}, hidden directories) and everything
 * not ending in {@code .attr.json} ({@code mode.json}, data files). Symbolic links to directories are not
 * followed. Unreadable files and duplicate file ids are reported in the result, never silently dropped. An attr
 * file that is gone by the time it is read (purged while the scan ran) is no failure: there is nothing to index.
 *
 * <p>Given an {@link IndexCheckpoint}, the entries of every directory it vouches for whose marker is unchanged
 * are taken from it and only the other directories are read; the result is the same.
 */
public final class IndexBuilder {
    static final String ATTR_SUFFIX = ".attr.json";
    private static final int BATCH_SIZE = 256;

    private final AttrParser parser;
    private final int parallelism;

    /** A builder using one thread per available processor. */
    public IndexBuilder(AttrParser parser) {
        this(parser, Runtime.getRuntime().availableProcessors());
    }

    public IndexBuilder(AttrParser parser, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        this.parser = Objects.requireNonNull(parser, "parser");
        this.parallelism = parallelism;
    }

    /** Where an index checkpoint may be, and whose it must be to be used. */
    public record Checkpoint(Path file, IndexCheckpoint.Identity identity) {
    }

    /** Scans {@code dataDir}; the caller swaps the result in. */
    public BuildResult build(Path dataDir) throws IOException {
        return build(dataDir, null, new BuildProgress());
    }

    /**
     * Builds from {@code checkpoint} (null: none) where it is valid, re-reading only the directories that changed
     * since it was taken, else from every sidecar; {@code progress} follows the build as it runs. The result is
     * the index a full build would give (see {@link IndexCheckpoint} for what a checkpoint can and cannot see).
     */
    public BuildResult build(Path dataDir, Checkpoint checkpoint, BuildProgress progress) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            throw new IOException("data dir is not a directory");
        }
        Scan scan = new Scan(dataDir, progress);
        CheckpointOutcome outcome = CheckpointOutcome.ABSENT;
        IndexCheckpoint.Saved saved = null;
        if (checkpoint != null) {
            progress.phase(BuildProgress.Phase.CHECKPOINT);
            try {
                saved = IndexCheckpoint.read(checkpoint.file(), checkpoint.identity(), scan.interner);
            } catch (NoSuchFileException e) {
                // first start, or checkpoints were never written: the full build below
            } catch (IndexCheckpoint.Rejected e) {
                outcome = CheckpointOutcome.rejected(e.getMessage());
            }
        }
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        try {
            if (saved == null) {
                progress.phase(BuildProgress.Phase.FULL_BUILD);
                pool.invoke(scan.new DirectoryTask(dataDir));
            } else {
                outcome = pool.invoke(scan.new RestoreTask(saved));
            }
        } finally {
            pool.shutdown();
        }
        List<BuildFailure> failures = new ArrayList<>(scan.failures);
        failures.sort(Comparator.comparing(BuildFailure::path).thenComparing(BuildFailure::kind));
        BuildResult result = new BuildResult(FileIndex.bulkLoad(scan.interner, scan.table, scan.arrived), failures,
                scan.filesScanned.sum(), outcome, scan.untrusted);
        progress.phase(BuildProgress.Phase.DONE);
        return result;
    }

    /** The directory part of a data-dir-relative, '/'-separated path ("" for the data dir itself). */
    static String directoryOf(String path) {
        int slash = path == null ? -1 : path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** Names every scan passes over: temp files, {@code .leader.*}, hidden directories. */
    static boolean isSkipped(String name) {
        return name.startsWith(".");
    }

    /** The state of one build, shared by its tasks. */
    private final class Scan {
        final Path root;
        final BuildProgress progress;
        final Interner interner = new Interner();
        final IdTable table = new IdTable(1024); // guarded by itself
        /** What was put into {@link #table}, in the order it came (list order for a checkpoint's entries). */
        final List<CompactEntry> arrived = new ArrayList<>(); // guarded by table
        final ConcurrentLinkedQueue<BuildFailure> failures = new ConcurrentLinkedQueue<>();
        final LongAdder filesScanned = new LongAdder();
        /** Directories a checkpoint must not vouch for (see {@link BuildResult#untrustedDirs()}). */
        final Set<String> untrusted = ConcurrentHashMap.newKeySet();
        /** Directories the checkpoint accounts for (read, re-read or gone): a scan does not descend into them. */
        volatile Set<Path> known = Set.of();

        Scan(Path root, BuildProgress progress) {
            this.root = root;
            this.progress = progress;
        }

        /**
         * Takes the entries of every saved directory whose marker is unchanged and re-reads the others (without
         * descending into saved subdirectories, which are dealt with on their own; new ones are read in full).
         */
        final class RestoreTask extends RecursiveTask<CheckpointOutcome> {
            private final IndexCheckpoint.Saved saved;

            RestoreTask(IndexCheckpoint.Saved saved) {
                this.saved = saved;
            }

            @Override
            protected CheckpointOutcome compute() {
                Set<Path> dirs = new HashSet<>();
                boolean[] unchanged = new boolean[saved.dirs().size()];
                int unchangedCount = 0;
                List<Path> changed = new ArrayList<>();
                long expected = 0;
                int gone = 0;
                for (int i = 0; i < unchanged.length; i++) {
                    IndexCheckpoint.Dir d = saved.dirs().get(i);
                    Path dir = d.path().isEmpty() ? root : root.resolve(d.path());
                    dirs.add(dir);
                    DirMarker now;
                    try {
                        now = DirMarker.of(dir);
                    } catch (IOException e) {
                        changed.add(dir); // read again, where the failure is reported
                        continue;
                    }
                    if (now == null) {
                        gone++;
                    } else if (d.trusted() && now.equals(d.marker())) {
                        unchanged[i] = true;
                        unchangedCount++;
                    } else {
                        changed.add(dir);
                        expected += d.entryCount();
                    }
                }
                known = dirs;
                progress.expectFiles(expected);
                progress.phase(BuildProgress.Phase.RESCAN);
                List<ForkJoinTask<?>> forked = new ArrayList<>(changed.size());
                for (Path dir : changed) {
                    forked.add(new DirectoryTask(dir).fork());
                }
                int restored = 0;
                synchronized (table) {
                    CompactEntry[] entries = saved.entries();
                    int[] dirOf = saved.dirOf();
                    for (int i = 0; i < entries.length; i++) {
                        if (unchanged[dirOf[i]]) {
                            addUnique(entries[i], null);
                            restored++;
                        }
                    }
                }
                progress.entriesFromCheckpoint(restored);
                for (ForkJoinTask<?> task : forked) {
                    task.join();
                }
                return new CheckpointOutcome("used", "", unchangedCount, changed.size(), gone, restored);
            }
        }

        final class DirectoryTask extends RecursiveAction {
            private final Path dir;

            DirectoryTask(Path dir) {
                this.dir = dir;
                progress.directoryFound();
            }

            @Override
            protected void compute() {
                List<ForkJoinTask<?>> forked = new ArrayList<>();
                List<Path> batch = new ArrayList<>(BATCH_SIZE);
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                    for (Path child : children) {
                        String name = child.getFileName().toString();
                        if (isSkipped(name)) {
                            continue;
                        }
                        if (name.endsWith(ATTR_SUFFIX)) {
                            batch.add(child);
                            if (batch.size() == BATCH_SIZE) {
                                forked.add(new ParseTask(batch).fork());
                                batch = new ArrayList<>(BATCH_SIZE);
                            }
                        } else if (!known.contains(child) && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                            forked.add(new DirectoryTask(child).fork());
                        }
                    }
                } catch (IOException | DirectoryIteratorException e) {
                    failures.add(new BuildFailure(root.relativize(dir), BuildFailure.Kind.UNREADABLE, describe(e)));
                }
                parse(batch);
                for (ForkJoinTask<?> task : forked) {
                    task.join();
                }
                progress.directoryDone();
            }
        }

        final class ParseTask extends RecursiveAction {
            private final List<Path> attrFiles;

            ParseTask(List<Path> attrFiles) {
                this.attrFiles = attrFiles;
            }

            @Override
            protected void compute() {
                parse(attrFiles);
            }
        }

        void parse(List<Path> attrFiles) {
            CompactEntry[] entries = new CompactEntry[attrFiles.size()];
            for (int i = 0; i < entries.length; i++) {
                Path file = attrFiles.get(i);
                try {
                    FileMetadata m = parser.parse(file);
                    if (m == null) {
                        throw new IOException("parser returned no metadata");
                    }
                    entries[i] = CompactEntry.of(m, interner);
                    noteIfElsewhere(file, m.storagePath());
                } catch (NoSuchFileException e) {
                    // removed since the directory was listed
                } catch (Exception e) {
                    failures.add(new BuildFailure(root.relativize(file), BuildFailure.Kind.UNREADABLE, describe(e)));
                }
            }
            filesScanned.add(entries.length);
            progress.filesRead(entries.length);
            synchronized (table) {
                for (int i = 0; i < entries.length; i++) {
                    if (entries[i] != null) {
                        addUnique(entries[i], attrFiles.get(i));
                    }
                }
            }
        }

        /**
         * A sidecar whose storage_path names another directory than its own: a checkpoint groups entries by their
         * storage_path, so it must vouch for neither directory.
         */
        private void noteIfElsewhere(Path attrFile, String storagePath) {
            String dir = directoryOf(root.relativize(attrFile).toString().replace('\\', '/'));
            String claimed = directoryOf(storagePath);
            if (!dir.equals(claimed)) {
                untrusted.add(dir);
                untrusted.add(claimed);
            }
        }

        /**
         * Indexes {@code e} unless its id is taken; of two copies the one whose storage_path sorts first wins.
         * {@code attrFile} null: an entry from the checkpoint, named by its storage path.
         */
        private void addUnique(CompactEntry e, Path attrFile) {
            CompactEntry existing = table.put(e);
            arrived.add(e);
            if (existing == null) {
                return;
            }
            String existingPath = existing.toMetadata().storagePath();
            String newPath = e.toMetadata().storagePath();
            untrusted.add(directoryOf(existingPath)); // a checkpoint keeps only the copy indexed
            untrusted.add(directoryOf(newPath));
            Comparator<String> pathOrder = Comparator.nullsLast(Comparator.naturalOrder());
            boolean keepExisting = pathOrder.compare(existingPath, newPath) <= 0;
            if (keepExisting) {
                table.put(existing);
            }
            String message = "file_id " + e.toMetadata().fileId() + " is claimed by the attr files of storage_path "
                    + newPath + " and of storage_path " + existingPath + "; indexed the one of "
                    + (keepExisting ? existingPath : newPath);
            Path named = attrFile != null ? root.relativize(attrFile) : Path.of(e.storagePath() + ATTR_SUFFIX);
            failures.add(new BuildFailure(named, BuildFailure.Kind.DUPLICATE_ID, message));
        }

        /** Exception text without the absolute location of the data dir. */
        private String describe(Exception e) {
            String message = e.getMessage() == null ? "" : ": " + e.getMessage().replace(root.toString() + "/", "");
            return e.getClass().getSimpleName() + message;
        }
    }
}
