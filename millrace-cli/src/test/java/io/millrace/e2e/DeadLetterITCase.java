package io.millrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millrace.pipeline.market.MarketConfig;
import io.millrace.pipeline.market.MarketVerifier;
import io.millrace.source.TopicAdmin;
import io.millrace.stack.LocalFlink;
import io.millrace.testing.Await;
import io.millrace.verify.InputRecord;
import io.millrace.verify.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One record of every malformed class, in both input topics, between valid ones: each lands in
 * {@code market.dlq} with its exact raw bytes, its origin and a reason naming the problem, and the valid
 * records are unaffected.
 */
class DeadLetterITCase {

    @RegisterExtension
    static final LocalStackExtension STACK = new LocalStackExtension();

    @Test
    void everyClassOfMalformedRecordLandsInTheDeadLetterTopicWithItsReason() throws Exception {
        MarketConfig config = MarketTestRuns.config(STACK, Map.of());
        TopicAdmin.ensure(config.kafka(), MarketTestRuns.MARKET.topics(config));
        long now = System.currentTimeMillis();
        Map<String, String> malformedTrades = new LinkedHashMap<>();
        malformedTrades.put("{\"trade_id\":\"x1\",\"symbol\":\"AAPL\",\"price\":", "invalid JSON");
        malformedTrades.put("[1,2,3]", "invalid JSON: expected an object, got an array");
        malformedTrades.put("{\"trade_id\":\"x2\",\"symbol\":\"AAPL\",\"price\":1.5,\"trade_timestamp\":" + now + "}",
                "missing field 'volume'");
        malformedTrades.put("{\"trade_id\":\"x3\",\"symbol\":\"AAPL\",\"price\":\"1.5\",\"volume\":1,\"trade_timestamp\":" + now + "}",
                "field 'price' must be a number");
        malformedTrades.put("{\"trade_id\":\"x4\",\"symbol\":\"AAPL\",\"price\":-1.5,\"volume\":1,\"trade_timestamp\":" + now + "}",
                "field 'price' must be greater than 0");
        malformedTrades.put("{\"trade_id\":\"x5\",\"symbol\":\"AAPL\",\"price\":1.5,\"volume\":-4,\"trade_timestamp\":" + now + "}",
                "field 'volume' must be a positive integer");
        malformedTrades.put("{\"trade_id\":\"x6\",\"symbol\":\"aa pl\",\"price\":1.5,\"volume\":1,\"trade_timestamp\":" + now + "}",
                "field 'symbol' must match");
        malformedTrades.put("{\"trade_id\":\"x7\",\"symbol\":\"AAPL\",\"price\":1.5,\"volume\":1,\"trade_timestamp\":"
                + (now + 86_400_000L) + "}", "field 'trade_timestamp' is ");
        malformedTrades.put("{\"trade_id\":\"x8\",\"symbol\":\"AAPL\",\"price\":1.5,\"volume\":1,\"trade_timestamp\":\"yesterday\"}",
                "field 'trade_timestamp' must be an integer");

        Map<String, String> reasonByOrigin = new HashMap<>();
        Map<String, byte[]> bytesByOrigin = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", config.kafka().bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            send(producer, config.infoTopic(), "AAPL", "{\"symbol\":\"AAPL\",\"company\":\"Apple Inc.\",\"sector\":\"Technology\","
                    + "\"market_cap\":1,\"info_timestamp\":" + (now - 60_000) + "}");
            byte[] badInfo = "{\"symbol\":\"MSFT\",\"company\":\"Microsoft\",\"market_cap\":1,\"info_timestamp\":1}"
                    .getBytes(StandardCharsets.UTF_8);
            RecordMetadata info = producer.send(new ProducerRecord<>(config.infoTopic(),
                    "MSFT".getBytes(StandardCharsets.UTF_8), badInfo)).get();
            reasonByOrigin.put(origin(info), "missing field 'sector'");
            bytesByOrigin.put(origin(info), badInfo);
            byte[] binary = {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF};
            RecordMetadata bin = producer.send(new ProducerRecord<>(config.tradesTopic(), binary)).get();
            reasonByOrigin.put(origin(bin), "invalid JSON");
            bytesByOrigin.put(origin(bin), binary);
            int i = 0;
            for (Map.Entry<String, String> bad : malformedTrades.entrySet()) {
                send(producer, config.tradesTopic(), "AAPL", "{\"trade_id\":\"ok" + i++ + "\",\"symbol\":\"AAPL\",\"price\":178.5,"
                        + "\"volume\":10,\"trade_timestamp\":" + (now - 30_000 + i) + "}");
                byte[] bytes = bad.getKey().getBytes(StandardCharsets.UTF_8);
                RecordMetadata meta = producer.send(new ProducerRecord<>(config.tradesTopic(), "AAPL".getBytes(StandardCharsets.UTF_8),
                        bytes)).get();
                reasonByOrigin.put(origin(meta), bad.getValue());
                bytesByOrigin.put(origin(meta), bytes);
            }
        }

        LocalFlink.LocalJob job = MarketTestRuns.start(STACK, config);
        MarketVerifier.Result result;
        try {
            List<InputRecord> letters = awaitDeadLetters(config, reasonByOrigin.size());
            Map<String, JsonNode> byOrigin = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (InputRecord letter : letters) {
                JsonNode n = json.readTree(letter.value());
                byOrigin.put(n.path("source_topic").asText() + "-" + n.path("partition").asInt() + "-"
                        + n.path("offset").asLong(), n);
            }
            assertThat(byOrigin.keySet()).containsExactlyInAnyOrderElementsOf(reasonByOrigin.keySet());
            for (Map.Entry<String, String> expected : reasonByOrigin.entrySet()) {
                JsonNode letter = byOrigin.get(expected.getKey());
                assertThat(letter.path("pipeline").asText()).isEqualTo("market");
                assertThat(letter.path("error").asText()).as(expected.getKey()).startsWith(expected.getValue());
                assertThat(Base64.getDecoder().decode(letter.path("value_base64").asText()))
                        .isEqualTo(bytesByOrigin.get(expected.getKey()));
            }
            result = MarketTestRuns.verify(config);
        } finally {
            job.client().cancel().get(120, TimeUnit.SECONDS);
        }
        assertThat(result.differences()).isZero();
        assertThat(result.check("market.dlq").actualCount()).isEqualTo(reasonByOrigin.size());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String json)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static String origin(RecordMetadata meta) {
        return meta.topic() + "-" + meta.partition() + "-" + meta.offset();
    }

    private static List<InputRecord> awaitDeadLetters(MarketConfig config, int expected) throws Exception {
        return Await.until(expected + " dead letters in " + config.dlqTopic(), Duration.ofSeconds(180), Duration.ofSeconds(1),
                () -> new CountedRecords(TopicReader.readAll(config.kafka(), config.dlqTopic())),
                letters -> letters.records().size() >= expected).records();
    }

    /** Records read from a topic; shown by their number when a wait times out. */
    private record CountedRecords(List<InputRecord> records) {
        @Override
        public String toString() {
            return records.size() + " records";
        }
    }

}
