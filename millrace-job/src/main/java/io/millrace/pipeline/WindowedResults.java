package io.millrace.pipeline;

import io.millrace.model.LateEvent;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The result streams of a windowed Kafka-to-Kafka pipeline: window results, and events beyond lateness. */
public record WindowedResults<R>(DataStream<R> results, DataStream<LateEvent> late) {}
