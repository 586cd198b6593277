package io.millrace.sink;

import java.io.Serializable;

/**
 * One document for a search index: its id, which decides where it lands (so writing it again replaces it), and
 * its source as a JSON object.
 */
public record SearchDocument(String id, String source) implements Serializable {

    public SearchDocument {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a search document needs an id");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("search document " + id + " has no source");
        }
    }
}
