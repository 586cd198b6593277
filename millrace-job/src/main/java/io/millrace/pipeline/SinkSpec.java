package io.millrace.pipeline;

import io.millrace.config.PostgresConnection;
import io.millrace.config.RedisConnection;
import io.millrace.config.SearchConnection;
import io.millrace.config.WarehouseConnection;
import java.util.List;

/**
 * One output of a pipeline, as commands see it: what it is (a Kafka topic, a PostgreSQL table, Redis keys, a search
 * index, a warehouse table), what it
 * holds, and the operator that writes it. The job names its sink operators with {@link #operatorName()}.
 */
public sealed interface SinkSpec {

    /** The topic or table. */
    String name();

    SinkRole role();

    /** The sink operator's name in the job. */
    String operatorName();

    /** The operator whose records-in count is what the sink has written. */
    default String writerOperator() {
        return OperatorNames.writer(operatorName());
    }

    /** A transactional Kafka topic: records become visible when the checkpoint after them completes. */
    record KafkaTopic(String name, SinkRole role) implements SinkSpec {
        @Override
        public String operatorName() {
            return OperatorNames.kafkaSink(name);
        }
    }

    /**
     * Redis keys (matching {@code keyPatterns}, glob-style) written with absolute values by a Redis sink named
     * {@code name}; its writers record their progress in {@link io.millrace.sink.RedisProgress}.
     */
    record RedisKeys(String name, SinkRole role, RedisConnection redis, List<String> keyPatterns) implements SinkSpec {
        @Override
        public String operatorName() {
            return OperatorNames.redisSink(name);
        }
    }

    /** A PostgreSQL table written by idempotent upserts, with its progress in the progress table. */
    record PostgresTable(String name, SinkRole role, PostgresConnection postgres) implements SinkSpec {
        @Override
        public String operatorName() {
            return OperatorNames.postgresSink(name);
        }
    }

    /**
     * A search index of one document per record, its id the record's, so a replay overwrites; written by bulk
     * requests flushed on every checkpoint. {@code feedOperator} is the operator whose records-out feed it;
     * {@code exampleQuery} is a query string worth showing users.
     */
    record SearchIndex(String name, SinkRole role, SearchConnection search, String feedOperator, String exampleQuery)
            implements SinkSpec {
        @Override
        public String operatorName() {
            return OperatorNames.searchSink(name);
        }
    }

    /**
     * A warehouse (Iceberg) table: data files committed as one snapshot when each checkpoint completes.
     * {@code feedOperator} is the operator whose records-out feed it; {@code exampleQuery} is SQL worth showing.
     */
    record WarehouseTable(String name, SinkRole role, WarehouseConnection warehouse, String feedOperator,
            String exampleQuery) implements SinkSpec {
        @Override
        public String operatorName() {
            return OperatorNames.warehouseSink(name);
        }
    }
}
