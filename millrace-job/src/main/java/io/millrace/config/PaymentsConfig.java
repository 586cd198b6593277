package io.millrace.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration of the {@code payments} pipeline (SPEC 2.3): paid transactions in 3-second
 * tumbling windows; naive timestamps are read in {@code timestamp-zone}.
 */
public record PaymentsConfig(StreamSettings stream, String timestampZone) implements StreamPipelineConfig {

    public static final String PIPELINE = "payments";

    public static final StreamSettings.Keys STREAM = StreamSettings.Keys.of(PIPELINE, "transactions",
            "transactions_aggregate", "5s", "3s", "0");
    public static final ConfigKey<String> TIMESTAMP_ZONE = ConfigKey.string("input.timestamp-zone", "UTC",
            "time zone of the input's naive event_timestamp values (an IANA zone id, e.g. Europe/Paris)");

    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(STREAM.all());
        keys.add(TIMESTAMP_ZONE);
        return keys;
    }

    public static PaymentsConfig from(Settings s) {
        String zone = s.get(TIMESTAMP_ZONE);
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ConfigException("config key 'input.timestamp-zone': unknown time zone '" + zone + "'");
        }
        return new PaymentsConfig(STREAM.read(s), zone);
    }

    public static PaymentsConfig with(Map<String, String> overrides) {
        return from(Settings.layered(keys(), null, Map.of(), overrides));
    }
}
