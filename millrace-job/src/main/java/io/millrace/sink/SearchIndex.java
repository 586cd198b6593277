package io.millrace.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * A search index and the template it is created from: one shard, no replicas (a single node could never place
 * them, and the index would stay yellow), a refresh every second, and the caller's field mappings with
 * {@code dynamic: strict}, so a document with an unexpected field is refused instead of widening the mapping.
 */
public final class SearchIndex implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String template;

    /**
     * @param name the index
     * @param properties the mapping's {@code properties} object, e.g. {@code {"user": {"type": "keyword"}}}
     */
    public SearchIndex(String name, String properties) {
        if (name == null || name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("a search index name must be non-empty and lower case: '" + name + "'");
        }
        this.name = name;
        this.template = template(properties);
    }

    private static String template(String properties) {
        try {
            JsonNode fields = JSON.readTree(properties);
            if (!fields.isObject()) {
                throw new IllegalArgumentException("search index properties must be a JSON object: " + properties);
            }
            ObjectNode template = JSON.createObjectNode();
            template.putObject("settings").putObject("index")
                    .put("number_of_shards", 1)
                    .put("number_of_replicas", 0)
                    .put("refresh_interval", "1s");
            ObjectNode mappings = template.putObject("mappings");
            mappings.put("dynamic", "strict");
            mappings.set("properties", fields);
            return JSON.writeValueAsString(template);
        } catch (IOException e) {
            throw new UncheckedIOException("search index properties are not JSON: " + properties, e);
        }
    }

    public String name() {
        return name;
    }

    /** The template's settings and mappings, as {@link SearchClient#putIndexTemplate} takes them. */
    public String template() {
        return template;
    }

    /** The template's name: the index's, so each index has its own. */
    public String templateName() {
        return name + "-template";
    }

    /** Puts the template (replacing an older one) and creates the index if it is missing; safe to repeat. */
    public void ensure(SearchClient client) throws IOException {
        client.putIndexTemplate(templateName(), List.of(name), template);
        client.createIndexIfMissing(name);
    }

    @Override
    public String toString() {
        return "SearchIndex[" + name + "]";
    }
}
