package io.millrace.pipeline.orders;

import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.Settings;
import io.millrace.config.WindowAggregationConfig;
import io.millrace.config.WindowAggregationSettings;
import java.util.Map;

/**
 * The typed configuration of the {@code orders} pipeline: 1-minute tumbling windows over all orders on
 * {@code created_at}, 30 s watermark, exact or approximate (HyperLogLog) distinct users.
 */
public record OrdersConfig(CommonSettings common, WindowAggregationSettings aggregation, DistinctMode distinct,
        int hllLgK) implements WindowAggregationConfig {

    public static final String PIPELINE = "orders";

    private static final ConfigKeys KEYS = new ConfigKeys();
    private static final CommonSettings.Keys COMMON = CommonSettings.declare(KEYS,
            new CommonSettings.Defaults(PIPELINE, "30s", "1min", "0"));
    private static final WindowAggregationSettings.Keys AGGREGATION = WindowAggregationSettings.declare(KEYS, PIPELINE,
            "orders", "analytics-results");
    public static final ConfigKey<DistinctMode> DISTINCT = KEYS.add(ConfigKey.choice("aggregate.distinct",
            DistinctMode.EXACT, "unique_users exactly (a set of user ids per window) or approximately (an HLL sketch, "
                    + "relative error under 2 %)"));
    public static final ConfigKey<Integer> HLL_LG_K = KEYS.add(ConfigKey.integer("aggregate.hll-lg-k", 14,
            "log2 of the HLL sketch's buckets: 14 gives a standard error of 0.8 %, so 2 % is 2.5 standard errors"));

    public static ConfigKeys keys() {
        return KEYS;
    }

    public static OrdersConfig from(Settings s) {
        int lgK = s.get(HLL_LG_K);
        if (lgK < 4 || lgK > 21) {
            throw new ConfigException("config key 'aggregate.hll-lg-k' must be between 4 and 21, got " + lgK);
        }
        return new OrdersConfig(COMMON.read(s), AGGREGATION.read(s), s.get(DISTINCT), lgK);
    }

    /** Defaults overridden by the given key/value pairs (tests). */
    public static OrdersConfig with(Map<String, String> overrides) {
        return from(Settings.layered(KEYS.all(), null, Map.of(), overrides));
    }
}
