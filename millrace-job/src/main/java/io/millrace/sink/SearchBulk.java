package io.millrace.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The bulk API's wire format: the newline-delimited body of index actions and the per-item outcomes of its answer. */
public final class SearchBulk {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What became of one document of a bulk request. */
    public record Item(String id, int status, String errorType, String reason) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A transient failure (the node is overloaded or failing): sending the document again may succeed. */
        public boolean retryable() {
            return !ok() && SearchBulk.retryable(status);
        }

        /** The server's reason, for messages: type and text. */
        public String describe() {
            return "status " + status + (errorType == null ? "" : " " + errorType) + (reason == null ? "" : ": " + reason);
        }
    }

    private SearchBulk() {}

    /** Whether a request that got {@code status} (0: no answer) may succeed if sent again. */
    static boolean retryable(int status) {
        return status == 0 || status == 429 || status >= 500;
    }

    /** The body of a bulk request that indexes (creates or replaces) each document under its id. */
    public static byte[] body(String index, Collection<SearchDocument> documents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(documents.size() * 256);
        try {
            for (SearchDocument document : documents) {
                ObjectNode meta = JSON.createObjectNode();
                meta.putObject("index").put("_index", index).put("_id", document.id());
                out.write(JSON.writeValueAsBytes(meta));
                out.write('\n');
                out.write(singleLine(document).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot build a bulk request", e);
        }
        return out.toByteArray();
    }

    /**
     * The source on one line, as the newline-delimited body needs: a source with line breaks is re-serialised
     * (a JSON string cannot hold a raw line break, so they are only ever whitespace between tokens).
     */
    private static String singleLine(SearchDocument document) throws JsonProcessingException {
        String source = document.source();
        if (source.indexOf('\n') < 0 && source.indexOf('\r') < 0) {
            return source;
        }
        return JSON.writeValueAsString(JSON.readTree(source));
    }

    /** The outcome of each document, in the order sent (the bulk API answers in request order). */
    public static List<Item> parse(byte[] response) throws IOException {
        JsonNode root = JSON.readTree(response);
        JsonNode items = root.path("items");
        if (!items.isArray()) {
            throw new IOException("a bulk answer without items: " + abbreviate(new String(response, StandardCharsets.UTF_8)));
        }
        List<Item> result = new ArrayList<>(items.size());
        for (JsonNode entry : items) {
            // Each item is keyed by its action: {"index": {...}}.
            JsonNode item = entry.elements().hasNext() ? entry.elements().next() : entry;
            JsonNode error = item.path("error");
            String type = error.isObject() ? error.path("type").asText(null) : null;
            String reason = error.isObject() ? reason(error) : error.isMissingNode() ? null : error.asText();
            result.add(new Item(item.path("_id").asText(null), item.path("status").asInt(0), type, reason));
        }
        return result;
    }

    /** The reason of an error object, with the cause's reason when there is one (a mapping error names the field there). */
    static String reason(JsonNode error) {
        String reason = error.path("reason").asText("");
        JsonNode cause = error.path("caused_by");
        if (cause.isObject()) {
            reason = reason + " (caused by " + cause.path("type").asText("") + ": " + cause.path("reason").asText("") + ")";
        }
        return reason;
    }

    static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
