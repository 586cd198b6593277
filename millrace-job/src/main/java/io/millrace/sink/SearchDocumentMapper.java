package io.millrace.sink;

import java.io.Serializable;

/**
 * Turns one element into the document that records it. The id must be a function of what the element is (not of
 * when it is written), so a replay after recovery overwrites the same document instead of adding one.
 */
@FunctionalInterface
public interface SearchDocumentMapper<T> extends Serializable {

    SearchDocument document(T element);
}
