package io.millrace.pipeline.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord.Target;
import io.millrace.gen.GeneratedRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The market generator: deterministic per seed, info first, the requested mix, closing events. */
class MarketEventGeneratorTest {

    private static final long START = 1_700_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MarketGeneratorOptions options(long seed) {
        return new MarketGeneratorOptions(seed, 10, 1000, START, 0.1, Duration.ofSeconds(3), 0.01, Duration.ofMinutes(7),
                0.02, 0.01, Duration.ofSeconds(5));
    }

    private static List<GeneratedRecord> take(MarketEventGenerator g, int n) {
        List<GeneratedRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(g.next());
        }
        return records;
    }

    @Test
    void theSameSeedGivesTheSameRecords() {
        List<GeneratedRecord> a = take(new MarketEventGenerator(options(7)), 5000);
        List<GeneratedRecord> b = take(new MarketEventGenerator(options(7)), 5000);
        List<GeneratedRecord> c = take(new MarketEventGenerator(options(8)), 5000);

        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
        }
        assertThat(Arrays.equals(a.get(100).value(), c.get(100).value())).isFalse();
    }

    @Test
    void writesEveryInfoFirstThenKeepsEventTimeAndTheRequestedMix() throws Exception {
        List<GeneratedRecord> records = take(new MarketEventGenerator(options(1)), 100_000);

        for (int i = 0; i < 10; i++) {
            assertThat(records.get(i).kind()).isEqualTo(Kind.INFO);
            assertThat(JSON.readTree(records.get(i).value()).path("info_timestamp").asLong()).isEqualTo(START);
        }
        Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        long lastInfo = START;
        for (GeneratedRecord r : records.subList(10, records.size())) {
            kinds.merge(r.kind(), 1, Integer::sum);
            if (r.kind() == Kind.INFO) {
                assertThat(r.target()).isEqualTo(Target.REFERENCE);
                lastInfo = JSON.readTree(r.value()).path("info_timestamp").asLong();
            } else if (r.kind() == Kind.TRADE) {
                // An on-time trade never precedes the info update of its time.
                assertThat(JSON.readTree(r.value()).path("trade_timestamp").asLong()).isGreaterThanOrEqualTo(lastInfo);
            }
        }
        int main = records.size() - kinds.get(Kind.INFO) - 10;
        assertThat(kinds.get(Kind.BAD) / (double) main).isBetween(0.015, 0.025);
        assertThat(kinds.get(Kind.LATE) / (double) main).isBetween(0.007, 0.013);
        assertThat(kinds.get(Kind.OUT_OF_ORDER) / (double) main).isBetween(0.09, 0.11);
        assertThat(kinds.get(Kind.DUPLICATE) / (double) main).isBetween(0.007, 0.013);
    }

    @Test
    void closingEventsGoOnePerPartitionBeyondTheNewestTrade() throws Exception {
        MarketEventGenerator g = new MarketEventGenerator(options(1));
        take(g, 2000);
        long newest = g.maxEventTime();

        List<GeneratedRecord> closing = g.closing(4, 96_000);

        assertThat(closing).extracting(GeneratedRecord::partition).containsExactly(0, 1, 2, 3);
        for (GeneratedRecord r : closing) {
            JsonNode n = JSON.readTree(r.value());
            assertThat(n.path("trade_timestamp").asLong()).isEqualTo(newest + 96_000);
        }
    }
}
