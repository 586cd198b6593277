package io.millrace.sink;

import io.millrace.config.RedisConnection;
import io.millrace.config.RedisSinkOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.PipeliningBase;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Buffers coalesced writes and sends each flush in one round trip: a pipeline, or a MULTI/EXEC transaction
 * when the flush holds a sorted-set replace (its DEL and ZADD must look like one step to readers). A failed
 * flush is retried with exponential backoff on a fresh connection; when retries run out the task fails and
 * Flink restores the last checkpoint, whose replay rewrites the buffered values: nothing is dropped either way.
 */
final class RedisWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(RedisWriter.class);
    /** Generous: a large flush or sorted-set replace on a busy server may take seconds to be answered. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final RedisConnection endpoint;
    private final RedisMapper<T> mapper;
    private final RedisSinkOptions options;
    private final RedisProgress progress;
    private final int subtask;
    private final int parallelism;
    private final ProcessingTimeService timeService;
    private final RedisWriteBuffer buffer = new RedisWriteBuffer();
    private final Counter writesSent;
    private final Counter writeRetries;
    private volatile long lastFlushMillis;

    private Jedis jedis;
    private boolean timerArmed;
    private long watermark = Long.MIN_VALUE;
    private long recordedWatermark = Long.MIN_VALUE;

    RedisWriter(RedisConnection endpoint, RedisMapper<T> mapper, RedisSinkOptions options, RedisProgress progress,
            WriterInitContext context) throws IOException {
        this.endpoint = endpoint;
        this.mapper = mapper;
        this.options = options;
        this.progress = progress;
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        this.parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        this.timeService = context.getProcessingTimeService();
        this.writesSent = context.metricGroup().getNumRecordsSendCounter();
        this.writeRetries = context.metricGroup().counter("writeRetries");
        context.metricGroup().gauge("lastFlushMillis", () -> lastFlushMillis);
        // Connect now, so a wrong endpoint fails the job at start rather than at its first flush.
        withRetries("connect", () -> { });
    }

    @Override
    public void write(T element, Context context) throws IOException {
        for (RedisWrite write : mapper.writes(element)) {
            buffer.add(write);
        }
        if (buffer.size() >= options.batchSize()) {
            flushBuffer();
        } else if (!timerArmed && !buffer.isEmpty() && !options.flushInterval().isZero()) {
            timerArmed = true;
            timeService.registerTimer(timeService.getCurrentProcessingTime() + options.flushInterval().toMillis(),
                    now -> {
                        timerArmed = false;
                        flushBuffer();
                    });
        }
    }

    /** Results before a watermark reach the sink before it: once they are written, so is the watermark. */
    @Override
    public void writeWatermark(Watermark mark) {
        watermark = Math.max(watermark, mark.getTimestamp());
    }

    /** Called before every checkpoint barrier is forwarded, and at end of input. */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        flushBuffer();
    }

    private void flushBuffer() throws IOException {
        if (progress != null && !buffer.isEmpty()) {
            // When results were last written: how monitors and chaos runs see the sink recover.
            buffer.add(new RedisWrite.HashSet(progress.key(), progress.writtenAtField(),
                    Long.toString(System.currentTimeMillis())));
        }
        if (progress != null && watermark > recordedWatermark) {
            // Last in the flush: a reader that sees this watermark sees every result written before it.
            buffer.add(new RedisWrite.HashSet(progress.key(), progress.field(subtask), Long.toString(watermark)));
            buffer.add(new RedisWrite.HashSet(progress.key(), progress.parallelismField(), Integer.toString(parallelism)));
        }
        if (buffer.isEmpty()) {
            return;
        }
        long flushedWatermark = watermark;
        long start = System.nanoTime();
        List<RedisWrite> writes = buffer.pending();
        withRetries("write " + writes.size() + " values", () -> send(writes));
        writesSent.inc(writes.size());
        buffer.clear();
        recordedWatermark = Math.max(recordedWatermark, flushedWatermark);
        lastFlushMillis = (System.nanoTime() - start) / 1_000_000;
    }

    private void send(List<RedisWrite> writes) {
        boolean atomic = writes.stream().anyMatch(w -> w instanceof RedisWrite.SortedSetReplace);
        List<Object> replies;
        if (atomic) {
            try (Transaction transaction = jedis.multi()) {
                writes.forEach(write -> append(transaction, write));
                replies = transaction.exec();
            }
            if (replies == null) {
                throw new JedisException("the transaction was aborted");
            }
        } else {
            try (Pipeline pipeline = jedis.pipelined()) {
                writes.forEach(write -> append(pipeline, write));
                replies = pipeline.syncAndReturnAll();
            }
        }
        failOnErrorReply(replies);
    }

    private static void append(PipeliningBase commands, RedisWrite write) {
        if (write instanceof RedisWrite.Set set) {
            commands.set(set.key(), set.value());
        } else if (write instanceof RedisWrite.HashSet hashSet) {
            commands.hset(hashSet.key(), hashSet.field(), hashSet.value());
        } else if (write instanceof RedisWrite.SortedSetAdd add) {
            commands.zadd(add.key(), add.score(), add.member());
        } else if (write instanceof RedisWrite.SortedSetReplace replace) {
            commands.del(replace.key());
            if (!replace.members().isEmpty()) {
                commands.zadd(replace.key(), replace.members());
            }
        } else if (write instanceof RedisWrite.Delete delete) {
            commands.del(delete.key());
        } else if (write instanceof RedisWrite.ExpireAt expireAt) {
            commands.expireAt(expireAt.key(), expireAt.epochSeconds());
        } else {
            throw new IllegalArgumentException("unknown Redis write " + write.getClass().getName());
        }
    }

    /** A pipeline or transaction reports a refused command as an exception among the replies, not by throwing. */
    private static void failOnErrorReply(List<Object> replies) {
        int errors = 0;
        JedisDataException first = null;
        for (Object reply : replies) {
            if (reply instanceof JedisDataException error) {
                errors++;
                first = first == null ? error : first;
            }
        }
        if (first != null) {
            throw new JedisDataException(errors + " of " + replies.size() + " commands refused, the first with: "
                    + first.getMessage(), first);
        }
    }

    /** An action against Redis that is safe to repeat from scratch on a new connection. */
    @FunctionalInterface
    private interface RedisAction {
        void run();
    }

    private void withRetries(String what, RedisAction action) throws IOException {
        long backoff = options.retryBackoff().toMillis();
        for (int attempt = 0; ; attempt++) {
            try {
                if (jedis == null) {
                    jedis = endpoint.open(TIMEOUT);
                }
                action.run();
                return;
            } catch (JedisException e) {
                closeQuietly();
                if (attempt >= options.maxRetries()) {
                    throw new IOException("Redis sink " + endpoint.host() + ":" + endpoint.port() + "[" + subtask
                            + "]: cannot " + what + " after " + (attempt + 1) + " attempts: " + e.getMessage(), e);
                }
                writeRetries.inc();
                LOG.warn("Redis sink {}:{}[{}]: {} failed ({}); retry {} of {} in {} ms", endpoint.host(),
                        endpoint.port(), subtask, what, e.getMessage(), attempt + 1, options.maxRetries(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while retrying " + what, ie);
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    private void closeQuietly() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // The connection is being discarded anyway.
            }
        }
        jedis = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
