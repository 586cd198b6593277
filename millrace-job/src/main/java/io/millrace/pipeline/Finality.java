package io.millrace.pipeline;

import io.millrace.config.PostgresConnection;
import io.millrace.config.RedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** How a pipeline's results become final, so commands know how far they may compare or wait. */
public sealed interface Finality {

    /** Finality that the sinks store next to their results, readable without the running job. */
    sealed interface Stored extends Finality {

        /** The watermark up to which every named sink's results are written, or Long.MIN_VALUE if unknown yet. */
        long watermark();

        /** Epoch ms of the last write of results, or -1 if unknown. */
        long lastWrite();

        /** Forgets the progress, for a run that recomputes everything. */
        void reset() throws Exception;
    }

    /**
     * Final up to the lowest progress watermark of the named sinks in the progress table, which each sink
     * writes in the same transaction as its rows.
     */
    record ProgressTable(PostgresConnection postgres, String pipeline, List<String> sinks) implements Stored {

        @Override
        public long watermark() {
            try (Connection db = postgres.open()) {
                return io.millrace.sink.ProgressTable.lowest(db, pipeline, sinks);
            } catch (SQLException e) {
                return Long.MIN_VALUE;
            }
        }

        @Override
        public long lastWrite() {
            try (Connection db = postgres.open()) {
                return io.millrace.sink.ProgressTable.lastUpdate(db, pipeline);
            } catch (SQLException e) {
                return -1;
            }
        }

        @Override
        public void reset() throws SQLException {
            try (Connection db = postgres.open()) {
                db.setAutoCommit(true);
                io.millrace.sink.ProgressTable.reset(db, pipeline);
            }
        }
    }

    /**
     * Final up to the lowest watermark the named Redis sinks recorded in their progress hash, which each
     * writer sets in the same flush as its results.
     */
    record RedisProgress(RedisConnection redis, List<io.millrace.sink.RedisProgress> sinks) implements Stored {
        private static final Duration TIMEOUT = Duration.ofSeconds(5);

        @Override
        public long watermark() {
            try (Jedis jedis = redis.open(TIMEOUT)) {
                long lowest = Long.MAX_VALUE;
                for (io.millrace.sink.RedisProgress sink : sinks) {
                    lowest = Math.min(lowest, sink.watermark(jedis.hgetAll(sink.key())));
                }
                return lowest;
            } catch (JedisException e) {
                return Long.MIN_VALUE;
            }
        }

        @Override
        public long lastWrite() {
            try (Jedis jedis = redis.open(TIMEOUT)) {
                long latest = -1;
                for (io.millrace.sink.RedisProgress sink : sinks) {
                    Map<String, String> fields = jedis.hgetAll(sink.key());
                    latest = Math.max(latest, sink.lastWrite(fields));
                }
                return latest;
            } catch (JedisException e) {
                return -1;
            }
        }

        @Override
        public void reset() {
            try (Jedis jedis = redis.open(TIMEOUT)) {
                for (io.millrace.sink.RedisProgress sink : sinks) {
                    jedis.del(sink.key());
                }
            }
        }
    }

    /**
     * Final up to the input watermark of the results' writer operator (read from the running job); the
     * results themselves become visible when the checkpoint after them commits their transaction.
     */
    record WriterWatermark(String writerOperator) implements Finality {}
}
