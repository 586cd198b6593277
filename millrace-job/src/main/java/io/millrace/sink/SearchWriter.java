package io.millrace.sink;

import io.millrace.config.SearchConnection;
import io.millrace.config.SearchSinkOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers documents (the last one of an id wins) and sends each flush as one bulk request. Documents the node
 * refused for a transient reason (429, 5xx, no answer) are sent again with exponential backoff; when retries run
 * out, or a document is refused for what it is (a mapping or parse error), the task fails and Flink restores the
 * last checkpoint, whose replay indexes the same ids again: nothing is dropped and nothing is duplicated.
 */
final class SearchWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(SearchWriter.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final SearchClient client;
    private final String index;
    private final SearchDocumentMapper<T> mapper;
    private final SearchSinkOptions options;
    private final int subtask;
    private final ProcessingTimeService timeService;
    private final LinkedHashMap<String, SearchDocument> buffer = new LinkedHashMap<>();
    private final Counter documentsSent;
    private final Counter writeRetries;
    private volatile long lastFlushMillis;
    private boolean timerArmed;

    SearchWriter(SearchConnection connection, String index, SearchIndex template, SearchDocumentMapper<T> mapper,
            SearchSinkOptions options, WriterInitContext context) throws IOException {
        this.client = new SearchClient(connection);
        this.index = index;
        this.mapper = mapper;
        this.options = options;
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        this.timeService = context.getProcessingTimeService();
        this.documentsSent = context.metricGroup().getNumRecordsSendCounter();
        this.writeRetries = context.metricGroup().counter("writeRetries");
        context.metricGroup().gauge("lastFlushMillis", () -> lastFlushMillis);
        // Now, so a wrong endpoint or mapping fails the job at start rather than at its first flush.
        if (template != null) {
            withRetries("create index " + index, () -> template.ensure(client));
        } else {
            withRetries("reach the node", client::health);
        }
    }

    @Override
    public void write(T element, Context context) throws IOException {
        SearchDocument document = mapper.document(element);
        // Re-inserting moves the id to the end: the buffer keeps arrival order of each id's last version.
        buffer.remove(document.id());
        buffer.put(document.id(), document);
        if (buffer.size() >= options.batchSize()) {
            flushBuffer();
        } else if (!timerArmed && !options.flushInterval().isZero()) {
            timerArmed = true;
            timeService.registerTimer(timeService.getCurrentProcessingTime() + options.flushInterval().toMillis(),
                    now -> {
                        timerArmed = false;
                        flushBuffer();
                    });
        }
    }

    /** Called before every checkpoint barrier is forwarded, and at end of input. */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        flushBuffer();
    }

    private void flushBuffer() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<SearchDocument> pending = new ArrayList<>(buffer.values());
        long backoff = options.retryBackoff().toMillis();
        for (int attempt = 0; ; attempt++) {
            String failure;
            try {
                List<SearchBulk.Item> items = client.bulk(index, pending);
                pending = failedTransiently(pending, items);
                if (pending.isEmpty()) {
                    break;
                }
                SearchBulk.Item example = items.stream().filter(SearchBulk.Item::retryable).findFirst().orElseThrow();
                failure = pending.size() + " documents refused for now, e.g. " + example.id() + ": " + example.describe();
            } catch (SearchException e) {
                if (!e.retryable()) {
                    throw new IOException("search sink " + client.url() + "[" + subtask + "]: bulk request to index "
                            + index + " refused: " + e.getMessage(), e);
                }
                failure = e.getMessage();
            }
            if (attempt >= options.maxRetries()) {
                throw new IOException("search sink " + client.url() + "[" + subtask + "]: cannot index " + pending.size()
                        + " documents into " + index + " after " + (attempt + 1) + " attempts: " + failure);
            }
            writeRetries.inc();
            LOG.warn("search sink {}[{}]: bulk request to index {} failed ({}); retry {} of {} in {} ms", client.url(),
                    subtask, index, failure, attempt + 1, options.maxRetries(), backoff);
            sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
        documentsSent.inc(buffer.size());
        buffer.clear();
        lastFlushMillis = (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * The documents worth sending again; fails on the first one refused for what it is (a mapping or parse
     * error would be refused again on every replay, so the job must stop and say which document and why).
     */
    private List<SearchDocument> failedTransiently(List<SearchDocument> sent, List<SearchBulk.Item> items)
            throws IOException {
        List<SearchDocument> again = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SearchBulk.Item item = items.get(i);
            if (item.ok()) {
                continue;
            }
            if (!item.retryable()) {
                long refused = items.stream().filter(it -> !it.ok() && !it.retryable()).count();
                throw new IOException("search sink " + client.url() + "[" + subtask + "]: index " + index + " refused "
                        + refused + " of " + items.size() + " documents, the first, id " + sent.get(i).id() + ", with "
                        + item.describe());
            }
            again.add(sent.get(i));
        }
        return again;
    }

    /** A request that is safe to repeat from scratch. */
    @FunctionalInterface
    private interface SearchAction {
        void run() throws IOException;
    }

    private void withRetries(String what, SearchAction action) throws IOException {
        long backoff = options.retryBackoff().toMillis();
        for (int attempt = 0; ; attempt++) {
            try {
                action.run();
                return;
            } catch (SearchException e) {
                if (!e.retryable() || attempt >= options.maxRetries()) {
                    throw new IOException("search sink " + client.url() + "[" + subtask + "]: cannot " + what + " after "
                            + (attempt + 1) + " attempts: " + e.getMessage(), e);
                }
                writeRetries.inc();
                LOG.warn("search sink {}[{}]: {} failed ({}); retry {} of {} in {} ms", client.url(), subtask, what,
                        e.getMessage(), attempt + 1, options.maxRetries(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry", e);
        }
    }

    @Override
    public void close() {
        // Nothing held open: the HTTP client's connections close when it is collected.
    }
}
