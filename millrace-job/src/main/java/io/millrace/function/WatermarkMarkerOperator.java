package io.millrace.function;

import io.millrace.config.KafkaConnection;
import io.millrace.model.EnrichedTrade;
import io.millrace.model.EnrichedTradeLogEntry;
import io.millrace.source.TopicAdmin;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Passes enriched trades on and, each time its watermark advances, writes that watermark as a marker for every
 * partition of the staged topic: a job reading the topic learns the enriching job's watermark from the data,
 * including at the end of the input, where no later trade would ever advance it.
 */
public final class WatermarkMarkerOperator extends AbstractStreamOperator<EnrichedTradeLogEntry>
        implements OneInputStreamOperator<EnrichedTrade, EnrichedTradeLogEntry> {
    private static final long serialVersionUID = 1L;

    private final KafkaConnection kafka;
    private final String topic;
    private final int knownPartitions;
    private transient int partitions;
    private transient long marked;
    private transient StreamRecord<EnrichedTradeLogEntry> reuse;

    /** @param topic the staged topic: each of its partitions (counted when the operator opens) gets every marker */
    public WatermarkMarkerOperator(KafkaConnection kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
        this.knownPartitions = -1;
    }

    /** For a topic whose partition count is known without asking the broker. */
    public WatermarkMarkerOperator(int partitions) {
        this.kafka = null;
        this.topic = null;
        this.knownPartitions = partitions;
    }

    @Override
    public void open() throws Exception {
        super.open();
        partitions = knownPartitions >= 0 ? knownPartitions : TopicAdmin.partitions(kafka, topic);
        marked = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<EnrichedTrade> element) {
        output.collect(reuse.replace(EnrichedTradeLogEntry.of(element.getValue()), element.getTimestamp()));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermark = mark.getTimestamp();
        if (watermark > marked) {
            marked = watermark;
            int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            for (int partition = 0; partition < partitions; partition++) {
                output.collect(new StreamRecord<>(EnrichedTradeLogEntry.marker(watermark, subtask, subtasks, partition),
                        watermark));
            }
        }
        super.processWatermark(mark);
    }
}
