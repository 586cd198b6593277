package io.millrace.cli;

import io.millrace.config.KafkaConnection;
import io.millrace.stack.MillraceHome;
import io.millrace.verify.InputRecord;
import io.millrace.verify.TopicReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code millrace tail TOPIC}: the last committed records of a topic, key and value. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print the last committed records of a Kafka topic (read_committed), e.g. analytics-results.")
final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "the topic")
    String topic;

    @Option(names = {"-n", "--records"}, defaultValue = "10", description = "how many per partition (default: ${DEFAULT-VALUE})")
    int records;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KafkaConnection kafka = PipelineSettings.kafka(MillraceHome.resolve(), connection);
        Deque<InputRecord> last = new ArrayDeque<>();
        int[] partition = {-1};
        long total = TopicReader.forEach(kafka, topic, r -> {
            if (r.partition() != partition[0]) {
                last.forEach(x -> print(out, x));
                last.clear();
                partition[0] = r.partition();
            }
            last.addLast(r);
            if (last.size() > records) {
                last.removeFirst();
            }
        });
        last.forEach(x -> print(out, x));
        out.printf("(%,d committed records in %s)%n", total, topic);
        return 0;
    }

    private static void print(PrintWriter out, InputRecord r) {
        out.printf("%s  %s  %s%n", r.origin(), r.key() == null ? "-" : new String(r.key(), StandardCharsets.UTF_8),
                r.value() == null ? "null" : new String(r.value(), StandardCharsets.UTF_8));
    }
}
