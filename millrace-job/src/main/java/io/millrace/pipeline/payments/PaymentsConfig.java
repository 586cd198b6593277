package io.millrace.pipeline.payments;

import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigException;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.Settings;
import io.millrace.config.WindowAggregationConfig;
import io.millrace.config.WindowAggregationSettings;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;

/**
 * The typed configuration of the {@code payments} pipeline: paid transactions in 3-second tumbling windows;
 * naive timestamps are read in {@code timestamp-zone}.
 */
public record PaymentsConfig(CommonSettings common, WindowAggregationSettings aggregation, String timestampZone)
        implements WindowAggregationConfig {

    public static final String PIPELINE = "payments";

    private static final ConfigKeys KEYS = new ConfigKeys();
    private static final CommonSettings.Keys COMMON = CommonSettings.declare(KEYS,
            new CommonSettings.Defaults(PIPELINE, "5s", "3s", "0"));
    private static final WindowAggregationSettings.Keys AGGREGATION = WindowAggregationSettings.declare(KEYS, PIPELINE,
            "transactions", "transactions_aggregate");
    public static final ConfigKey<String> TIMESTAMP_ZONE = KEYS.add(ConfigKey.string("input.timestamp-zone", "UTC",
            "time zone of the input's naive event_timestamp values (an IANA zone id, e.g. Europe/Paris)"));

    public static ConfigKeys keys() {
        return KEYS;
    }

    public static PaymentsConfig from(Settings s) {
        String zone = s.get(TIMESTAMP_ZONE);
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ConfigException("config key 'input.timestamp-zone': unknown time zone '" + zone + "'");
        }
        return new PaymentsConfig(COMMON.read(s), AGGREGATION.read(s), zone);
    }

    /** Defaults overridden by the given key/value pairs (tests). */
    public static PaymentsConfig with(Map<String, String> overrides) {
        return from(Settings.layered(KEYS.all(), null, Map.of(), overrides));
    }
}
