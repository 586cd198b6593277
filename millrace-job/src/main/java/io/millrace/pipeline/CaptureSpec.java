package io.millrace.pipeline;

import io.millrace.config.PostgresConnection;
import java.time.Duration;
import java.util.List;

/**
 * What a pipeline that reads a database's changes needs captured: the source database, its tables
 * ({@code schema.table}), the replication slot and publication, the topics ({@code <prefix>.<schema>.<table>},
 * {@code partitions} each) and how often heartbeats tell every partition how far commits are delivered. The
 * local stack runs a capture service from this; elsewhere, a capture that writes the same records does.
 */
public record CaptureSpec(String pipeline, PostgresConnection source, List<String> tables, String slot,
        String publication, String topicPrefix, int partitions, Duration heartbeatInterval) {}
