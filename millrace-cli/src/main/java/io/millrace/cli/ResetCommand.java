package io.millrace.cli;

import io.millrace.config.MarketConfig;
import io.millrace.config.Settings;
import io.millrace.sink.EnrichedTradesTable;
import io.millrace.sink.LateTradesTable;
import io.millrace.sink.ProgressTable;
import io.millrace.sink.SectorMetricsTable;
import io.millrace.stack.CheckpointStore;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
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
        Pipelines.require(pipeline);
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = PipelineSettings.resolve(MarketConfig.keys(), pipeline, MillraceHome.resolve(), config,
                connection, Map.of());
        PipelineSettings.requireEndpoints(settings, true);
        MarketConfig market = MarketConfig.from(settings);
        List<String> topics = List.of(market.tradesTopic(), market.infoTopic(), market.dlqTopic(), market.enrichedTopic(),
                market.metricsTopic());
        List<String> tables = List.of(EnrichedTradesTable.NAME, SectorMetricsTable.NAME, LateTradesTable.NAME);
        Path checkpoints = Path.of(URI.create(market.checkpointDir()));
        out.println((yes ? "Deleting" : "Would delete") + " for pipeline " + pipeline + ":");
        out.println("  topics          " + String.join(", ", topics));
        out.println("  tables          " + String.join(", ", tables) + " (and its rows in " + ProgressTable.NAME + ")");
        out.println("  consumer group  " + market.groupId());
        out.println("  checkpoints     " + checkpoints);
        if (!yes) {
            out.println("Run again with --yes to delete.");
            return 0;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, market.kafka().bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get();
            admin.deleteTopics(topics.stream().filter(existing::contains).toList()).all().get();
            // Deletion completes asynchronously; a generator started right after must not see the old topics.
            long deadline = System.currentTimeMillis() + 30_000;
            while (admin.listTopics().names().get().stream().anyMatch(topics::contains)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            try {
                admin.deleteConsumerGroups(List.of(market.groupId())).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        }
        try (Connection db = market.postgres().open(); Statement st = db.createStatement()) {
            db.setAutoCommit(true);
            for (String table : tables) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
            st.execute("DELETE FROM " + ProgressTable.NAME + " WHERE pipeline = '" + MarketConfig.PIPELINE
                    + "' AND to_regclass('" + ProgressTable.NAME + "') IS NOT NULL");
        } catch (java.sql.SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw e;
            }
        }
        new CheckpointStore(checkpoints).deleteAll();
        out.println("Done.");
        return 0;
    }
}
