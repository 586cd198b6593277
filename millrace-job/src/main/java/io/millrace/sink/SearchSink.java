package io.millrace.sink;

import io.millrace.config.SearchConnection;
import io.millrace.config.SearchSinkOptions;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Exactly-once-effect OpenSearch sink: each element becomes one document under an id derived from it, buffered
 * and sent with the bulk API, and flushed before every checkpoint completes. A replay after recovery indexes the
 * same ids again, which replaces the documents: the index ends as if every element had been written once.
 */
public final class SearchSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final SearchConnection connection;
    private final String index;
    private final SearchIndex template;
    private final SearchDocumentMapper<T> mapper;
    private final SearchSinkOptions options;

    /** Writes into {@code index}, which must exist or be creatable by the node's automatic index creation. */
    public SearchSink(SearchConnection connection, String index, SearchDocumentMapper<T> mapper, SearchSinkOptions options) {
        this(connection, index, null, mapper, options);
    }

    /** Writes into {@code index}, putting its template and creating it when each writer opens. */
    public SearchSink(SearchConnection connection, SearchIndex index, SearchDocumentMapper<T> mapper,
            SearchSinkOptions options) {
        this(connection, index.name(), index, mapper, options);
    }

    private SearchSink(SearchConnection connection, String index, SearchIndex template, SearchDocumentMapper<T> mapper,
            SearchSinkOptions options) {
        this.connection = connection;
        this.index = index;
        this.template = template;
        this.mapper = mapper;
        this.options = options;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new SearchWriter<>(connection, index, template, mapper, options, context);
    }
}
