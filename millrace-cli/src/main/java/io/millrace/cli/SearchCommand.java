package io.millrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.millrace.config.SearchConnection;
import io.millrace.config.SearchSettings;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.Pipelines;
import io.millrace.sink.SearchClient;
import io.millrace.sink.SearchException;
import io.millrace.stack.MillraceHome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace search PIPELINE QUERY}: documents of the search index a pipeline writes, found by a query string. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search the index a pipeline writes with an OpenSearch query string (Lucene syntax, e.g. "
                + "'user:u-17 AND kind:click', or '*' for everything) and print the total and each hit's id and fields.")
final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "pipeline: ${COMPLETION-CANDIDATES}",
            completionCandidates = PipelineNames.class)
    String pipeline;

    @Parameters(index = "1", paramLabel = "QUERY", defaultValue = "*", description = "query string (default: *)")
    String query;

    @Option(names = {"-n", "--size"}, paramLabel = "N", defaultValue = "10", description = "at most this many hits (default: ${DEFAULT-VALUE})")
    int size;

    @Mixin
    ConfigOptions config;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MillraceHome home = MillraceHome.resolve();
        Pipeline p = PipelineSettings.configure(pipeline, home, config, connection, Map.of(), false);
        String index = p.searchIndex().orElseThrow(() -> new UserError("pipeline " + pipeline + " writes no search index"));
        // The pipeline's own settings when it declares them (a config file may point it elsewhere), else the stack's.
        SearchConnection endpoint = Pipelines.require(pipeline).keys().contains(SearchSettings.URL.name())
                ? SearchSettings.connection(p.settings()) : PipelineSettings.search(home, connection);
        SearchClient client = new SearchClient(endpoint, Duration.ofSeconds(30));
        SearchClient.SearchHits result;
        try {
            result = client.search(index, query, size);
        } catch (SearchException e) {
            if (e.status() == 0) {
                throw new UserError("OpenSearch at " + endpoint.url() + " is not reachable: start it with "
                        + "./millrace up --only search, or point at yours with --search URL");
            }
            if (e.status() == 404) {
                throw new UserError("index " + index + " does not exist at " + endpoint.url() + " yet: run the pipeline "
                        + "first (./millrace run " + pipeline + ")");
            }
            throw new UserError("search in " + index + " at " + endpoint.url() + " failed: " + e.getMessage());
        }
        out.printf("%,d hits for %s in %s (%s)%s%n", result.total(), query, index, endpoint.url(),
                result.total() > result.hits().size() ? ", the first " + result.hits().size() + ":" : "");
        for (JsonNode hit : result.hits()) {
            out.println(hit.path("_id").asText() + "  " + fields(hit.path("_source")));
        }
        out.flush();
        return 0;
    }

    /** A source's fields as {@code name=value}, separated by spaces: one line per hit. */
    static String fields(JsonNode source) {
        StringBuilder line = new StringBuilder();
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (line.length() > 0) {
                line.append(' ');
            }
            JsonNode value = field.getValue();
            line.append(field.getKey()).append('=').append(value.isValueNode() ? value.asText() : value.toString());
        }
        return line.toString();
    }
}
