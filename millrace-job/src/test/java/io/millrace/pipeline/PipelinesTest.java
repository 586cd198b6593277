package io.millrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.millrace.config.CommonSettings;
import io.millrace.config.Settings;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord.Target;
import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratorOptions;
import io.millrace.verify.InputOracle;
import io.millrace.verify.InputRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered pipeline is complete: it has a generator whose records its oracle reads (agreeing on
 * which are malformed), sinks with results, a job, a finality, a page of documentation with the fixed
 * headings, and the settings every pipeline shares.
 */
class PipelinesTest {

    private static final long NOW = System.currentTimeMillis();

    static Stream<PipelineDefinition<?>> pipelines() {
        return Pipelines.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void hasAGeneratorWhoseMalformedRecordsItsOracleDeadLetters(PipelineDefinition<?> definition) {
        Pipeline pipeline = definition.configure(Settings.defaults(definition.keys().all()));
        GeneratorOptions options = new GeneratorOptions(3, 1000, NOW - 600_000, 0.1, Duration.ofSeconds(3), 0.01,
                pipeline.lateBy(), 0.05);
        EventGenerator generator = pipeline.generator(options, Settings.defaults(definition.generatorSpec().options().all()));

        List<InputRecord> main = new ArrayList<>();
        List<InputRecord> reference = new ArrayList<>();
        Set<String> malformed = new HashSet<>();
        // A pipeline reading a database's changes writes its reference rows (e.g. 5 000 content rows) first.
        for (int i = 0; main.size() < 4000 && i < 100_000; i++) {
            GeneratedRecord r = generator.next();
            boolean isMain = r.target() == Target.MAIN;
            List<InputRecord> records = isMain ? main : reference;
            InputRecord record = new InputRecord(isMain ? pipeline.mainTopic() : pipeline.referenceTopic(), 0,
                    records.size(), r.key(), r.value());
            records.add(record);
            if (isMain && r.kind() == Kind.BAD) {
                malformed.add(record.origin());
            }
        }
        InputOracle oracle = pipeline.oracle(reference, NOW);
        main.forEach(oracle::accept);

        assertThat(malformed).as("the generator writes malformed records").isNotEmpty();
        Set<String> deadLetters = new HashSet<>(oracle.deadLetterOrigins());
        deadLetters.removeIf(origin -> !origin.startsWith(pipeline.mainTopic() + "-"));
        assertThat(deadLetters).as("the oracle dead-letters exactly the malformed records").isEqualTo(malformed);
        if (definition.services().contains(Service.CAPTURE)) {
            return; // its main topic carries the captured changes of these rows, not the rows themselves
        }
        assertThat(pipeline.eventTime(main.stream().filter(r -> !malformed.contains(r.origin())).findFirst()
                .orElseThrow().value())).as("a valid record has an event time").isGreaterThan(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void declaresItsJobsSinksFinalityAndTheSharedSettings(PipelineDefinition<?> definition) {
        Pipeline pipeline = definition.configure(Settings.defaults(definition.keys().all()));

        assertThat(pipeline.jobs()).isNotEmpty();
        assertThat(pipeline.sources()).isNotEmpty();
        assertThat(pipeline.sinks()).extracting(SinkSpec::role).contains(SinkRole.RESULTS, SinkRole.DEAD_LETTERS);
        assertThat(pipeline.finality()).isNotNull();
        assertThat(pipeline.topics()).isNotEmpty();
        assertThat(definition.services()).contains(Service.KAFKA);
        assertThat(definition.keys().all()).contains(CommonSettings.KAFKA_BOOTSTRAP_SERVERS, CommonSettings.PARALLELISM,
                CommonSettings.CHECKPOINT_INTERVAL);
        assertThat(definition.generatorSpec().name()).isEqualTo(definition.name());
        assertThat(Pipelines.names()).filteredOn(definition.name()::equals).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void hasAPageOfDocumentationWithTheFixedHeadings(PipelineDefinition<?> definition) throws IOException {
        Path page = Path.of("..").resolve(definition.docs());

        assertThat(page).exists();
        List<String> headings = Files.readAllLines(page).stream().filter(l -> l.startsWith("## ")).toList();
        assertThat(headings).contains("## Input", "## Output", "## Semantics", "## Run", "## Test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void itsFlagsSetItsOwnSettings(PipelineDefinition<?> definition) {
        for (PipelineFlag flag : definition.flags()) {
            assertThat(definition.keys().all()).as(flag.name()).contains(flag.key());
        }
        Map<String, String> faults = definition.generatorSpec().faultOptions();
        Settings.layered(definition.generatorSpec().options().all(), null, Map.of(), faults);
    }
}
