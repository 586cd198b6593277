package io.millrace.cli;

import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.stack.ChangeDataCapture;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code millrace status}: what runs, where, and what the sinks hold. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the local stack's services (with the change capture's replication slot lag), retained checkpoints, each pipeline's dead letters of the "
                + "last minute (with a warning above monitor.dead-letter-warning) and sink table sizes.")
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
