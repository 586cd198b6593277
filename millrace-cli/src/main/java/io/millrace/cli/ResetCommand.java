package io.millrace.cli;

import io.millrace.config.KafkaConnection;
import io.millrace.config.PipelineConfig;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.SinkSpec;
import io.millrace.sink.ProgressTable;
import io.millrace.sink.SearchClient;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.MillraceHome;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** {@code millrace reset PIPELINE}: deletes a pipeline's topics, tables, consumer group and checkpoints. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Delete everything a pipeline has read and written: its input, output and DLQ topics, its tables, "
                + "its Redis keys, its consumer group offsets and its checkpoints (a pipeline reading a database's "
                + "changes keeps the source tables and change topics). Stop the pipeline first.")
final class ResetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Option(names = "--yes", description = "do it (without this flag, only list what would be deleted)")
    boolean yes;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Pipeline p = PipelineSettings.configure(pipeline, MillraceHome.resolve(), config, connection, Map.of(), true);
        PipelineConfig c = p.config();
        List<String> captured = capturedTopics(p);
        List<String> topics = p.allTopics().stream().filter(t -> !captured.contains(t)).toList();
        List<SinkSpec.PostgresTable> tables = p.sinks(SinkSpec.PostgresTable.class);
        List<SinkSpec.RedisKeys> redis = p.sinks(SinkSpec.RedisKeys.class);
        List<SinkSpec.SearchIndex> indexes = p.sinks(SinkSpec.SearchIndex.class);
        List<SinkSpec.WarehouseTable> warehouse = p.sinks(SinkSpec.WarehouseTable.class);
        Path checkpoints = Path.of(URI.create(c.checkpointDir()));
        out.println((yes ? "Deleting" : "Would delete") + " for pipeline " + pipeline + ":");
        out.println("  topics          " + String.join(", ", topics));
        if (!tables.isEmpty()) {
            out.println("  tables          " + tables.stream().map(SinkSpec::name).collect(Collectors.joining(", "))
                    + " (and its rows in " + ProgressTable.NAME + ")");
        }
        if (!redis.isEmpty()) {
            out.println("  Redis keys      " + redis.stream().flatMap(r -> r.keyPatterns().stream()).distinct()
                    .collect(Collectors.joining(", ")));
        }
        if (!indexes.isEmpty()) {
            out.println("  search indexes  " + indexes.stream().map(SinkSpec::name).collect(Collectors.joining(", ")));
        }
        if (!warehouse.isEmpty()) {
            out.println("  warehouse       " + warehouse.stream().map(SinkSpec::name).collect(Collectors.joining(", "))
                    + " (the tables and their files)");
        }
        out.println("  consumer group  " + c.groupId() + " (and " + c.groupId() + "-*, of a pipeline's further jobs)");
        out.println("  checkpoints     " + checkpoints);
        if (!captured.isEmpty()) {
            out.println("Kept: the source tables and their change topics " + String.join(", ", captured)
                    + " (the capture service's; the pipeline reads them again from the start)");
        }
        if (!yes) {
            out.println("Run again with --yes to delete.");
            return 0;
        }
        deleteTopics(c.kafka(), topics, c.groupId());
        dropTables(p.name(), tables);
        deleteKeys(redis);
        deleteIndexes(indexes);
        dropWarehouseTables(warehouse);
        new CheckpointStore(checkpoints).deleteAll();
        out.println("Done.");
        return 0;
    }

    /**
     * Deletes the topics and the consumer group, with the groups of a pipeline's further jobs (named after it and a
     * dash); returns once the topics are gone.
     */
    static void deleteTopics(KafkaConnection kafka, List<String> topics, String groupId) throws Exception {
        try (Admin admin = kafka.admin()) {
            Set<String> existing = admin.listTopics().names().get();
            admin.deleteTopics(topics.stream().filter(existing::contains).toList()).all().get();
            // Deletion completes asynchronously; a generator started right after must not see the old topics.
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get().stream().anyMatch(topics::contains)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            List<String> groups = new ArrayList<>(List.of(groupId));
            admin.listConsumerGroups().all().get().stream().map(g -> g.groupId())
                    .filter(g -> g.startsWith(groupId + "-")).forEach(groups::add);
            try {
                admin.deleteConsumerGroups(groups).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        }
    }

    /** The change topics a capture service writes for the pipeline: its input, not its state. */
    static List<String> capturedTopics(Pipeline p) {
        return p.capture().map(spec -> spec.tables().stream().map(t -> spec.topicPrefix() + "." + t).toList())
                .orElse(List.of());
    }

    /** Deletes the search indexes (their templates stay: the next writer puts them again anyway). */
    static void deleteIndexes(List<SinkSpec.SearchIndex> sinks) throws IOException {
        for (SinkSpec.SearchIndex sink : sinks) {
            try {
                new SearchClient(sink.search(), Duration.ofSeconds(30)).deleteIndex(sink.name());
            } catch (IOException e) {
                throw new UserError("could not delete search index " + sink.name() + " at " + sink.search().url() + " ("
                        + e.getMessage() + "); start the search node with ./millrace up --only search, or pass --search URL");
            }
        }
    }

    /** Drops the warehouse tables with their data and metadata files. */
    static void dropWarehouseTables(List<SinkSpec.WarehouseTable> sinks) throws IOException {
        for (SinkSpec.WarehouseTable sink : sinks) {
            Catalog catalog = sink.warehouse().openCatalog();
            try {
                catalog.dropTable(sink.warehouse().identifier(sink.name()), true);
            } finally {
                if (catalog instanceof Closeable closeable) {
                    closeable.close();
                }
            }
        }
    }

    /** Deletes the keys the pipeline's Redis sinks write, their progress included. */
    static void deleteKeys(List<SinkSpec.RedisKeys> sinks) {
        for (SinkSpec.RedisKeys sink : sinks) {
            try (Jedis redis = sink.redis().open(Duration.ofSeconds(10))) {
                for (String pattern : sink.keyPatterns()) {
                    String cursor = ScanParams.SCAN_POINTER_START;
                    do {
                        ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
                        if (!page.getResult().isEmpty()) {
                            redis.del(page.getResult().toArray(String[]::new));
                        }
                        cursor = page.getCursor();
                    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
                }
            }
        }
    }

    /** Drops the pipeline's tables and forgets its progress. */
    static void dropTables(String pipeline, List<SinkSpec.PostgresTable> tables) throws SQLException {
        for (SinkSpec.PostgresTable table : tables) {
            try (Connection db = table.postgres().open(); Statement st = db.createStatement()) {
                db.setAutoCommit(true);
                // Table names come from the pipeline's definition, never from input.
                st.execute("DROP TABLE IF EXISTS " + table.name());
                ProgressTable.reset(db, pipeline);
            }
        }
    }
}
