package io.millrace.cli;

import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.SinkSpec;
import io.millrace.sink.SearchClient;
import io.millrace.sink.WarehouseReader;
import io.millrace.stack.ChangeDataCapture;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millrace status}: what runs, where, and what the sinks hold. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the local stack's services (with the change capture's replication slot lag), retained checkpoints, each pipeline's dead letters of the "
                + "last minute (with a warning above monitor.dead-letter-warning), sink table sizes, and what each search "
                + "index and warehouse table holds and how fast it grows.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Per pipeline with input in the last minute: how much of it was dead-lettered, and a warning if too much. */
    private static void deadLetters(PrintWriter out, MillraceHome home) {
        out.println("Dead letters, last minute");
        boolean any = false;
        for (PipelineDefinition<?> definition : Pipelines.all()) {
            Pipeline pipeline;
            try {
                pipeline = PipelineSettings.configure(definition.name(), home, new ConfigOptions(), new ConnectionOptions(),
                        Map.of(), false);
            } catch (RuntimeException e) {
                continue;
            }
            try (Admin admin = pipeline.config().kafka().admin(5000)) {
                var share = DeadLetterWatch.lastMinute(pipeline, admin).orElse(null);
                if (share == null || share.input() == 0) {
                    continue;
                }
                any = true;
                out.printf("  %-16s %,d of %,d records (%s)%n", definition.name(), share.deadLetters(), share.input(),
                        DeadLetterWatch.percent(share.value()));
                DeadLetterWatch watch = new DeadLetterWatch(pipeline);
                if (watch.above(share)) {
                    out.println("  " + watch.warning(share));
                }
            }
        }
        if (!any) {
            out.println("  (no pipeline had input in the last minute)");
        }
    }

    /**
     * Per pipeline with a search index or a warehouse table: what each holds and how fast it grows (search: two counts
     * two seconds apart; warehouse: the rows of the snapshots committed in the last minute).
     */
    private static void fanOutSinks(PrintWriter out, MillraceHome home) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        Map<SinkSpec.SearchIndex, Long> first = new LinkedHashMap<>();
        Map<SinkSpec.SearchIndex, String> owner = new LinkedHashMap<>();
        for (PipelineDefinition<?> definition : Pipelines.all()) {
            Pipeline pipeline;
            try {
                pipeline = PipelineSettings.configure(definition.name(), home, new ConfigOptions(), new ConnectionOptions(),
                        Map.of(), false);
            } catch (RuntimeException e) {
                continue;
            }
            for (SinkSpec.SearchIndex index : pipeline.sinks(SinkSpec.SearchIndex.class)) {
                first.put(index, documents(index));
                owner.put(index, definition.name());
            }
            for (SinkSpec.WarehouseTable table : pipeline.sinks(SinkSpec.WarehouseTable.class)) {
                lines.add(String.format("  %-16s warehouse %-20s %s", definition.name(), table.name(), warehouse(table)));
            }
        }
        if (first.isEmpty() && lines.isEmpty()) {
            return;
        }
        if (first.values().stream().anyMatch(n -> n >= 0)) {
            Thread.sleep(2000);
        }
        List<String> search = new ArrayList<>();
        first.forEach((index, before) -> {
            long after = before < 0 ? -1 : documents(index);
            search.add(String.format("  %-16s search    %-20s %s", owner.get(index), index.name(), after < 0
                    ? "not reachable at " + index.search().url() + " or no index yet"
                    : String.format("%,d documents, %,.0f/s now", after, (after - before) / 2.0)));
        });
        out.println("Search index and warehouse");
        search.forEach(out::println);
        lines.forEach(out::println);
    }

    private static long documents(SinkSpec.SearchIndex index) {
        try {
            return new SearchClient(index.search(), Duration.ofSeconds(5)).count(index.name());
        } catch (IOException e) {
            return -1;
        }
    }

    private static String warehouse(SinkSpec.WarehouseTable table) {
        try (WarehouseReader reader = WarehouseReader.open(table.warehouse(), table.name())) {
            if (reader.snapshot().isEmpty()) {
                return "no commit yet";
            }
            long since = System.currentTimeMillis() - 60_000;
            long added = 0;
            for (Snapshot s = reader.snapshot().get(); s != null && s.timestampMillis() >= since;
                    s = s.parentId() == null ? null : reader.table().snapshot(s.parentId())) {
                added += Long.parseLong(s.summary().getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0"));
            }
            return String.format("%,d rows committed, last commit %s, %,.0f rows/s over the last minute", reader.count(),
                    reader.snapshotTime().orElseThrow(), added / 60.0);
        } catch (RuntimeException e) {
            return "no table yet";
        }
    }

    /** WAL the capture's replication slot still holds: what PostgreSQL has committed and Kafka does not have yet. */
    private static String slotLag(StackInfo.CapturedPipeline captured) {
        Properties props = new Properties();
        props.setProperty("user", captured.user());
        try (Connection db = DriverManager.getConnection(captured.jdbcUrl(), props)) {
            long bytes = ChangeDataCapture.slotLagBytes(db, captured.slot());
            return bytes < 0 ? "no such slot" : String.format("lag %,d bytes of WAL", bytes);
        } catch (SQLException e) {
            return "lag unknown: " + e.getMessage();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        StackInfo info = StackInfo.read(home.stackFile());
        out.println("Local stack (data in " + home.root() + ")");
        out.printf("  Kafka       %s%n", info.kafkaService()
                .map(k -> (k.alive() ? "running  " : "stale    ") + k.bootstrapServers() + "  (pid " + k.pid() + ", since " + k.startedAt() + ")")
                .orElse("not running"));
        out.printf("  PostgreSQL  %s%n", info.postgresService()
                .map(p -> (p.alive() ? "running  " : "stale    ") + p.jdbcUrl() + "  (pid " + p.pid() + ", since " + p.startedAt() + ")")
                .orElse("not running"));
        out.printf("  Redis       %s%n", info.redisService()
                .map(r -> (r.alive() ? "running  " : "stale    ") + r.host() + ":" + r.port() + "  (pid " + r.pid() + ", since "
                        + r.startedAt() + ")")
                .orElse("not running"));
        out.printf("  OpenSearch  %s%n", info.searchService()
                .map(s -> (s.alive() ? "running  " : "stale    ") + s.url() + "  (pid " + s.pid() + ", since "
                        + s.startedAt() + ")")
                .orElse("not running"));
        if (info.captureService().isEmpty()) {
            out.println("  Capture     not running");
        }
        info.captureService().ifPresent(c -> c.pipelines().forEach(p -> out.printf("  Capture     %s%s -> %s  (slot %s: %s)%n",
                c.alive() ? "running  " : "stale    ", p.pipeline(), String.join(", ", p.topics()), p.slot(), slotLag(p))));
        Path checkpoints = home.root().resolve("checkpoints");
        if (Files.isDirectory(checkpoints)) {
            out.println("Checkpoints");
            try (Stream<Path> pipelines = Files.list(checkpoints)) {
                for (Path dir : pipelines.sorted().toList()) {
                    List<CheckpointStore.Checkpoint> all = new CheckpointStore(dir).all();
                    String latest = new CheckpointStore(dir).latest()
                            .map(c -> "latest chk-" + c.id() + " at " + Instant.ofEpochMilli(c.completedAt()) + ", "
                                    + all.size() + " retained")
                            .orElse("none complete");
                    out.printf("  %-16s %s%n", dir.getFileName(), latest);
                }
            }
        }
        if (info.live().kafka() != null) {
            deadLetters(out, home);
        }
        fanOutSinks(out, home);
        StackInfo.PostgresService pg = info.live().postgres();
        if (pg != null) {
            out.println("Tables");
            Properties props = new Properties();
            props.setProperty("user", pg.user());
            try (Connection db = DriverManager.getConnection(pg.jdbcUrl(), props); Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY relname")) {
                boolean any = false;
                while (rs.next()) {
                    any = true;
                    out.printf("  %-24s ~%,d rows%n", rs.getString(1), rs.getLong(2));
                }
                if (!any) {
                    out.println("  (none yet)");
                }
            } catch (SQLException e) {
                out.println("  cannot query PostgreSQL: " + e.getMessage());
            }
        }
        return 0;
    }
}
