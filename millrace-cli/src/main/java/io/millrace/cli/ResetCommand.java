package io.millrace.cli;

import io.millrace.config.MarketConfig;
import io.millrace.config.Settings;
import io.millrace.config.PipelineConfig;
import io.millrace.sink.ProgressTable;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace reset PIPELINE}: deletes a pipeline's topics, tables, consumer group and checkpoints. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Delete everything a pipeline has read and written: its input, output and DLQ topics, its tables, "
                + "its consumer group offsets and its checkpoints. Stop the pipeline first.")
final class ResetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = Pipelines.Names.class)
    String pipeline;

    @Option(names = "--yes", description = "do it (without this flag, only list what would be deleted)")
    boolean yes;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        Pipeline p = Pipelines.require(pipeline);
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = PipelineSettings.resolve(p.keys(), pipeline, MillraceHome.resolve(), config,
                connection, Map.of());
        PipelineSettings.requireEndpoints(settings, p.usesPostgres());
        PipelineConfig c = p.config(settings);
        Set<String> topicSet = new LinkedHashSet<>();
        p.topics(c).forEach(t -> topicSet.add(t.name()));
        if (c instanceof MarketConfig market) {
            topicSet.add(market.enrichedTopic());
            topicSet.add(market.metricsTopic());
        }
        List<String> topics = List.copyOf(topicSet);
        List<String> tables = p.tables();
        Path checkpoints = Path.of(URI.create(c.checkpointDir()));
        out.println((yes ? "Deleting" : "Would delete") + " for pipeline " + pipeline + ":");
        out.println("  topics          " + String.join(", ", topics));
        if (!tables.isEmpty()) {
            out.println("  tables          " + String.join(", ", tables) + " (and its rows in " + ProgressTable.NAME + ")");
        }
        out.println("  consumer group  " + c.groupId());
        out.println("  checkpoints     " + checkpoints);
        if (!yes) {
            out.println("Run again with --yes to delete.");
            return 0;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafka().bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            admin.deleteTopics(topics.stream().filter(existing::contains).toList()).all().get();
            // Deletion completes asynchronously; a generator started right after must not see the old topics.
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get().stream().anyMatch(topics::contains)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            try {
                admin.deleteConsumerGroups(List.of(c.groupId())).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        }
        if (c instanceof MarketConfig market) {
            try (Connection db = market.postgres().open(); Statement st = db.createStatement()) {
                db.setAutoCommit(true);
                for (String table : tables) {
                    st.execute("DROP TABLE IF EXISTS " + table);
                }
                st.execute("DELETE FROM " + ProgressTable.NAME + " WHERE pipeline = '" + MarketConfig.PIPELINE + "'");
            } catch (java.sql.SQLException e) {
                if (!"42P01".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        new CheckpointStore(checkpoints).deleteAll();
        out.println("Done.");
        return 0;
    }
}
