package io.millrace.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration of the {@code orders} pipeline (SPEC 2.2): 1-minute tumbling windows over all
 * orders on {@code created_at}, 30 s watermark, exact or approximate (HyperLogLog) distinct users.
 */
public record OrdersConfig(StreamSettings stream, String distinct, int hllLgK) implements StreamPipelineConfig {

    public static final String PIPELINE = "orders";
    public static final String EXACT = "exact";
    public static final String APPROX = "approx";

    public static final StreamSettings.Keys STREAM = StreamSettings.Keys.of(PIPELINE, "orders", "analytics-results",
            "30s", "1min", "0");
    public static final ConfigKey<String> DISTINCT = ConfigKey.choice("aggregate.distinct", EXACT,
            "unique_users exactly (a set of user ids per window) or approximately (an HLL sketch, relative error under 2 %)",
            EXACT, APPROX);
    public static final ConfigKey<Integer> HLL_LG_K = ConfigKey.integer("aggregate.hll-lg-k", 14,
            "log2 of the HLL sketch's buckets: 14 gives a standard error of 0.8 %, so 2 % is 2.5 standard errors");

    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(STREAM.all());
        keys.addAll(List.of(DISTINCT, HLL_LG_K));
        return keys;
    }

    public static OrdersConfig from(Settings s) {
        int lgK = s.get(HLL_LG_K);
        if (lgK < 4 || lgK > 21) {
            throw new ConfigException("config key 'aggregate.hll-lg-k' must be between 4 and 21, got " + lgK);
        }
        return new OrdersConfig(STREAM.read(s), s.get(DISTINCT), lgK);
    }

    public static OrdersConfig with(Map<String, String> overrides) {
        return from(Settings.layered(keys(), null, Map.of(), overrides));
    }
}
