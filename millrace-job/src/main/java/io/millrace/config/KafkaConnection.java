package io.millrace.config;

import java.io.Serializable;

/** Where the Kafka cluster is. */
public record KafkaConnection(String bootstrapServers) implements Serializable {}
