package io.millrace.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The retained checkpoints of a pipeline under {@code <root>/<job-id>/chk-<n>}. A checkpoint is complete
 * once its {@code _metadata} file exists (Flink writes it last), so a directory left by a kill mid-checkpoint
 * is never chosen.
 */
public final class CheckpointStore {

    /** One complete checkpoint. */
    public record Checkpoint(Path directory, long id, long completedAt) {}

    private final Path root;

    public CheckpointStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Optional<Checkpoint> latest() {
        return all().stream().max(Comparator.comparingLong(Checkpoint::completedAt).thenComparingLong(Checkpoint::id));
    }

    public List<Checkpoint> all() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> jobs = Files.list(root)) {
            return jobs.filter(Files::isDirectory).flatMap(CheckpointStore::checkpointsOf).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Checkpoint> checkpointsOf(Path jobDir) {
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.isRegularFile(d.resolve("_metadata")))
                    .map(d -> {
                        try {
                            return new Checkpoint(d, Long.parseLong(d.getFileName().toString().substring(4)),
                                    Files.getLastModifiedTime(d.resolve("_metadata")).toMillis());
                        } catch (IOException | NumberFormatException e) {
                            return null;
                        }
                    })
                    .filter(c -> c != null)
                    .toList()
                    .stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    /**
     * Deletes the directories of earlier job runs that hold no complete checkpoint newer than {@code keep}
     * (nothing else refers to them: state backends here write self-contained full checkpoints).
     */
    public void pruneOlderRuns(Optional<Checkpoint> keep) {
        if (!Files.isDirectory(root)) {
            return;
        }
        Path keepJob = keep.map(c -> c.directory().getParent()).orElse(null);
        try (Stream<Path> jobs = Files.list(root)) {
            for (Path job : jobs.filter(Files::isDirectory).toList()) {
                if (job.equals(keepJob)) {
                    continue;
                }
                boolean newer = checkpointsOf(job).anyMatch(c -> keep.isEmpty() || c.completedAt() > keep.get().completedAt());
                if (!newer) {
                    deleteRecursively(job);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteAll() {
        if (Files.isDirectory(root)) {
            deleteRecursively(root);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
