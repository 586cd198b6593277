package io.millrace.pipeline;

import io.millrace.config.ConfigException;
import io.millrace.pipeline.engagement.EngagementDefinition;
import io.millrace.pipeline.market.MarketDefinition;
import io.millrace.pipeline.movingaverages.MovingAveragesDefinition;
import io.millrace.pipeline.orders.OrdersDefinition;
import io.millrace.pipeline.payments.PaymentsDefinition;
import java.util.List;

/** The registered pipelines: adding one is one line here. */
public final class Pipelines {

    private static final List<PipelineDefinition<?>> ALL = List.of(
            new MarketDefinition(),
            new OrdersDefinition(),
            new PaymentsDefinition(),
            new MovingAveragesDefinition(),
            new EngagementDefinition());

    private Pipelines() {}

    public static List<PipelineDefinition<?>> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(PipelineDefinition::name).toList();
    }

    public static PipelineDefinition<?> require(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new ConfigException(
                "unknown pipeline '" + name + "' (available: " + String.join(", ", names()) + ")"));
    }
}
