package io.millrace.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.config.SearchConnection;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small OpenSearch REST client on the JDK's HTTP client: index templates and indices, bulk writes with
 * per-document outcomes, count, query-string search and a full scan. Every failure is a {@link SearchException}
 * carrying the HTTP status and the server's reason.
 */
public final class SearchClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final String SCROLL_KEEP_ALIVE = "2m";
    private static final int SCAN_PAGE = 1000;

    /** A page of search results: how many documents match in all, and the hits returned ({@code _id}, {@code _source}). */
    public record SearchHits(long total, List<JsonNode> hits) {}

    private final SearchConnection connection;
    private final Duration timeout;
    private final HttpClient http;

    public SearchClient(SearchConnection connection) {
        this(connection, Duration.ofSeconds(60));
    }

    /** @param timeout how long one request may wait for its answer */
    public SearchClient(SearchConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
        // HTTP/1.1: OpenSearch does not speak h2c, and an upgrade attempt only costs a round trip.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    public String url() {
        return connection.url();
    }

    /** {@code GET /_cluster/health}: the cluster's status ({@code green}, {@code yellow}, {@code red}) and counts. */
    public JsonNode health() throws IOException {
        return json(send("GET", "/_cluster/health", null));
    }

    /**
     * Creates or replaces a composable index template.
     *
     * @param template the template's {@code settings}, {@code mappings} and {@code aliases} as one JSON object
     */
    public void putIndexTemplate(String name, List<String> indexPatterns, String template) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode patterns = body.putArray("index_patterns");
        indexPatterns.forEach(patterns::add);
        body.set("template", JSON.readTree(template));
        send("PUT", "/_index_template/" + encode(name), JSON.writeValueAsBytes(body));
    }

    /** Creates the index (from the matching template) unless it exists; true when this call created it. */
    public boolean createIndexIfMissing(String index) throws IOException {
        if (exists(index)) {
            return false;
        }
        try {
            send("PUT", "/" + encode(index), null);
            return true;
        } catch (SearchException e) {
            // Another writer created it between the check and the request.
            if (e.status() == 400 && e.getMessage().contains("resource_already_exists_exception")) {
                return false;
            }
            throw e;
        }
    }

    public boolean exists(String index) throws IOException {
        return sendAllowing404("HEAD", "/" + encode(index), null) != null;
    }

    /** Indexes each document under its id (creating or replacing it); the outcome of each, in order. */
    public List<SearchBulk.Item> bulk(String index, Collection<SearchDocument> documents) throws IOException {
        if (documents.isEmpty()) {
            return List.of();
        }
        HttpResponse<byte[]> response = send("POST", "/_bulk", SearchBulk.body(index, documents), "application/x-ndjson");
        List<SearchBulk.Item> items = SearchBulk.parse(response.body());
        if (items.size() != documents.size()) {
            throw new SearchException("bulk request of " + documents.size() + " documents to " + url() + " answered "
                    + items.size() + " items", response.statusCode());
        }
        return items;
    }

    /** Makes every write so far visible to searches and counts. */
    public void refresh(String index) throws IOException {
        send("POST", "/" + encode(index) + "/_refresh", null);
    }

    /** The number of documents in the index (as of its last refresh). */
    public long count(String index) throws IOException {
        return json(send("GET", "/" + encode(index) + "/_count", null)).path("count").asLong();
    }

    /** Deletes the index; false when there was none. */
    public boolean deleteIndex(String index) throws IOException {
        return sendAllowing404("DELETE", "/" + encode(index), null) != null;
    }

    /** The first {@code size} documents matching a query-string query (Lucene syntax, e.g. {@code user:u-1 AND kind:click}). */
    public SearchHits search(String index, String queryString, int size) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("query").putObject("query_string").put("query", queryString);
        body.put("size", size);
        body.put("track_total_hits", true);
        JsonNode answer = json(send("POST", "/" + encode(index) + "/_search", JSON.writeValueAsBytes(body)));
        List<JsonNode> hits = new ArrayList<>();
        answer.path("hits").path("hits").forEach(hits::add);
        return new SearchHits(answer.path("hits").path("total").path("value").asLong(), hits);
    }

    /** Hands every document of the index (each hit with {@code _id} and {@code _source}) to {@code consumer}, via a scroll. */
    public void scan(String index, Consumer<JsonNode> consumer) throws IOException {
        ObjectNode first = JSON.createObjectNode();
        first.put("size", SCAN_PAGE);
        // Index order: the cheapest order for a scroll, and every document is read regardless.
        first.putArray("sort").add("_doc");
        JsonNode page = json(send("POST", "/" + encode(index) + "/_search?scroll=" + SCROLL_KEEP_ALIVE,
                JSON.writeValueAsBytes(first)));
        String scrollId = page.path("_scroll_id").asText(null);
        try {
            while (true) {
                JsonNode hits = page.path("hits").path("hits");
                if (hits.isEmpty()) {
                    return;
                }
                hits.forEach(consumer);
                ObjectNode next = JSON.createObjectNode().put("scroll", SCROLL_KEEP_ALIVE).put("scroll_id", scrollId);
                page = json(send("POST", "/_search/scroll", JSON.writeValueAsBytes(next)));
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            if (scrollId != null) {
                ObjectNode clear = JSON.createObjectNode();
                clear.putArray("scroll_id").add(scrollId);
                try {
                    sendAllowing404("DELETE", "/_search/scroll", JSON.writeValueAsBytes(clear));
                } catch (IOException e) {
                    // It expires on its own after the keep-alive.
                }
            }
        }
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body) throws IOException {
        return send(method, path, body, "application/json");
    }

    /** The response, or null for a 404 (a missing index). */
    private HttpResponse<byte[]> sendAllowing404(String method, String path, byte[] body) throws IOException {
        try {
            return send(method, path, body);
        } catch (SearchException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(connection.url() + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        connection.authorization().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchException(method + " " + url() + path + " was interrupted", e);
        } catch (IOException e) {
            throw new SearchException(method + " " + url() + path + " failed: " + e, e);
        }
        int status = response.statusCode();
        if (status >= 300) {
            throw new SearchException(method + " " + url() + path + " answered " + status + ": " + reason(response), status);
        }
        return response;
    }

    /** The server's reason from an error answer ({@code {"error": {"type", "reason"}, "status"}}), or its text. */
    private static String reason(HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(text).path("error");
            if (error.isObject()) {
                return error.path("type").asText("") + ": " + SearchBulk.reason(error);
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON (a proxy's page): the text itself is the reason.
        }
        return text.isBlank() ? "(no body)" : SearchBulk.abbreviate(text.strip());
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
