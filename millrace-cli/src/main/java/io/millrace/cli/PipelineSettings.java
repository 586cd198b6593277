package io.millrace.cli;

import io.millrace.config.CommonKeys;
import io.millrace.config.ConfigKey;
import io.millrace.config.Settings;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves a pipeline's settings in the CLI: defaults &lt; the running local stack's endpoints and
 * checkpoint directory &lt; config file &lt; environment variables &lt; flags.
 */
final class PipelineSettings {

    private PipelineSettings() {}

    static Settings resolve(Collection<ConfigKey<?>> keys, String pipeline, MillraceHome home, ConfigOptions config,
            ConnectionOptions connection, Map<String, String> flags) {
        Map<String, String> base = new LinkedHashMap<>();
        StackInfo stack = StackInfo.read(home.stackFile()).live();
        stack.kafkaService().ifPresent(k -> base.put(CommonKeys.KAFKA_BOOTSTRAP_SERVERS.name(), k.bootstrapServers()));
        boolean postgres = keys.contains(CommonKeys.POSTGRES_URL);
        stack.postgresService().filter(p -> postgres).ifPresent(p -> {
            base.put(CommonKeys.POSTGRES_URL.name(), p.jdbcUrl());
            base.put(CommonKeys.POSTGRES_USER.name(), p.user());
        });
        base.put(CommonKeys.CHECKPOINT_DIR.name(), home.checkpoints(pipeline).toUri().toString());
        Map<String, String> overrides = new LinkedHashMap<>(config.set);
        connection.asOverrides().forEach((k, v) -> {
            if (postgres || !k.startsWith("postgres.")) {
                overrides.put(k, v);
            }
        });
        overrides.putAll(flags);
        return Settings.layered(keys, base, "the local stack (" + home.stackFile() + ")", config.fileOrEnv(),
                System.getenv(), overrides);
    }

    /** Fails with directions when neither a running stack nor any setting says where Kafka and PostgreSQL are. */
    static void requireEndpoints(Settings settings, boolean needsPostgres) {
        boolean kafkaUnset = "default".equals(settings.origin(CommonKeys.KAFKA_BOOTSTRAP_SERVERS));
        boolean postgresUnset = needsPostgres && "default".equals(settings.origin(CommonKeys.POSTGRES_URL));
        if (kafkaUnset || postgresUnset) {
            throw new UserError("the local stack is not running (no live services in .millrace/stack.json). "
                    + "Start it with `./millrace up` (or `./millrace up --detach`), or point at your own services with "
                    + "--kafka HOST:PORT" + (needsPostgres ? " and --postgres-url jdbc:postgresql://HOST:PORT/DB" : "")
                    + " (or MILLRACE_KAFKA_BOOTSTRAP_SERVERS / MILLRACE_POSTGRES_URL).");
        }
    }
}
