package io.millrace.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bulk API's wire format, without a node: the request body built and the per-item answer parsed. */
class SearchBulkTest {

    @Test
    void shouldWriteOneIndexActionAndOneSourceLinePerDocument() {
        byte[] body = SearchBulk.body("events", List.of(new SearchDocument("e-1", "{\"user\":\"u-1\"}"),
                new SearchDocument("e\"2", "{\"user\":\"u-2\"}")));

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("""
                {"index":{"_index":"events","_id":"e-1"}}
                {"user":"u-1"}
                {"index":{"_index":"events","_id":"e\\"2"}}
                {"user":"u-2"}
                """);
    }

    @Test
    void shouldPutAMultiLineSourceOnOneLine() {
        byte[] body = SearchBulk.body("events", List.of(new SearchDocument("e-1", "{\n  \"text\": \"a b\"\n}")));

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("""
                {"index":{"_index":"events","_id":"e-1"}}
                {"text":"a b"}
                """);
    }

    @Test
    void shouldParseEachItemsOutcomeInRequestOrder() throws IOException {
        String answer = """
                {"took":3,"errors":true,"items":[
                  {"index":{"_index":"events","_id":"e-1","_version":1,"result":"created","status":201}},
                  {"index":{"_index":"events","_id":"e-2","status":429,"error":{"type":"es_rejected_execution_exception",
                    "reason":"rejected execution"}}},
                  {"index":{"_index":"events","_id":"e-3","status":400,"error":{"type":"mapper_parsing_exception",
                    "reason":"failed to parse field [count] of type [long]","caused_by":{"type":"illegal_argument_exception",
                    "reason":"For input string: \\"x\\""}}}}
                ]}
                """;

        List<SearchBulk.Item> items = SearchBulk.parse(answer.getBytes(StandardCharsets.UTF_8));

        assertThat(items).extracting(SearchBulk.Item::id).containsExactly("e-1", "e-2", "e-3");
        assertThat(items.get(0).ok()).isTrue();
        assertThat(items.get(1).retryable()).isTrue();
        assertThat(items.get(2).ok()).isFalse();
        assertThat(items.get(2).retryable()).isFalse();
        assertThat(items.get(2).describe()).isEqualTo("status 400 mapper_parsing_exception: failed to parse field [count] "
                + "of type [long] (caused by illegal_argument_exception: For input string: \"x\")");
    }

    @Test
    void shouldTreatNoAnswerTooManyRequestsAndServerErrorsAsTransient() {
        assertThat(SearchBulk.retryable(0)).isTrue();
        assertThat(SearchBulk.retryable(429)).isTrue();
        assertThat(SearchBulk.retryable(503)).isTrue();
        assertThat(SearchBulk.retryable(400)).isFalse();
        assertThat(SearchBulk.retryable(403)).isFalse();
    }

    @Test
    void shouldRefuseAnAnswerWithoutItems() {
        assertThatThrownBy(() -> SearchBulk.parse("{\"error\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("without items");
    }

    @Test
    void shouldBuildAStrictSingleShardTemplate() {
        SearchIndex index = new SearchIndex("events", "{\"user\":{\"type\":\"keyword\"}}");

        assertThat(index.template()).isEqualTo("{\"settings\":{\"index\":{\"number_of_shards\":1,\"number_of_replicas\":0,"
                + "\"refresh_interval\":\"1s\"}},\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"user\":"
                + "{\"type\":\"keyword\"}}}}");
    }
}
