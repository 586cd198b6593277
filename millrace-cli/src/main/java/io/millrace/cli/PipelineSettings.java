package io.millrace.cli;

import io.millrace.config.CommonSettings;
import io.millrace.config.ConfigKey;
import io.millrace.config.ConfigKeys;
import io.millrace.config.KafkaClientSettings;
import io.millrace.config.KafkaConnection;
import io.millrace.config.PostgresConnection;
import io.millrace.config.PostgresSettings;
import io.millrace.config.RedisSettings;
import io.millrace.config.SearchConnection;
import io.millrace.config.SearchSettings;
import io.millrace.config.Settings;
import io.millrace.config.WarehouseConnection;
import io.millrace.config.WarehouseSettings;
import io.millrace.pipeline.Pipeline;
import io.millrace.pipeline.PipelineDefinition;
import io.millrace.pipeline.Pipelines;
import io.millrace.pipeline.Service;
import io.millrace.stack.MillraceHome;
import io.millrace.stack.StackInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a pipeline's settings in the CLI: defaults &lt; the running local stack's endpoints (for the
 * services the pipeline needs), checkpoint directory and warehouse &lt; config file &lt; environment variables &lt; flags.
 */
final class PipelineSettings {

    private PipelineSettings() {}

    /** The pipeline named {@code name}, configured; with {@code requireEndpoints}, only if its services are known. */
    static Pipeline configure(String name, MillraceHome home, ConfigOptions config, ConnectionOptions connection,
            Map<String, String> flags, boolean requireEndpoints) {
        PipelineDefinition<?> definition = Pipelines.require(name);
        Settings settings = resolve(definition, home, config, connection, flags);
        if (requireEndpoints) {
            requireEndpoints(settings, definition.services());
        }
        requireLocalWarehouse(definition, settings);
        return definition.configure(settings);
    }

    /**
     * For a pipeline that declares the warehouse keys: the CLI runs its job in-process and reads its tables here
     * (verify, sql), so a Hadoop catalog's warehouse.path must be a file: URI (a ConfigException naming the key).
     */
    static void requireLocalWarehouse(PipelineDefinition<?> definition, Settings settings) {
        if (definition.keys().contains(WarehouseSettings.PATH.name())) {
            WarehouseSettings.connection(settings).requireLocalFiles();
        }
    }

    static Settings resolve(PipelineDefinition<?> definition, MillraceHome home, ConfigOptions config,
            ConnectionOptions connection, Map<String, String> flags) {
        Map<String, String> base = new LinkedHashMap<>();
        StackInfo stack = StackInfo.read(home.stackFile()).live();
        Set<Service> services = definition.services();
        stack.kafkaService().ifPresent(k -> base.put(CommonSettings.KAFKA_BOOTSTRAP_SERVERS.name(), k.bootstrapServers()));
        stack.postgresService().filter(p -> services.contains(Service.POSTGRES)).ifPresent(p -> {
            base.put(PostgresSettings.URL.name(), definition.stackDatabase() == null ? p.jdbcUrl()
                    : p.jdbcUrl(definition.stackDatabase()));
            base.put(PostgresSettings.USER.name(), p.user());
        });
        stack.redisService().filter(r -> services.contains(Service.REDIS)).ifPresent(r -> {
            base.put(RedisSettings.HOST.name(), r.host());
            base.put(RedisSettings.PORT.name(), Integer.toString(r.port()));
        });
        stack.searchService().filter(s -> services.contains(Service.SEARCH))
                .ifPresent(s -> base.put(SearchSettings.URL.name(), s.url()));
        base.put(CommonSettings.CHECKPOINT_DIR.name(), home.checkpoints(definition.name()).toUri().toString());
        if (definition.keys().contains(WarehouseSettings.PATH.name())) {
            base.put(WarehouseSettings.PATH.name(), home.warehouse().toUri().toString());
        }
        Map<String, String> overrides = new LinkedHashMap<>(config.set);
        connection.asOverrides().forEach((k, v) -> {
            if (definition.keys().contains(k)) {
                overrides.put(k, v);
            }
        });
        overrides.putAll(flags);
        return Settings.layered(definition.keys().all(), base, "the local stack (" + home.stackFile() + ")",
                config.fileOrEnv(), System.getenv(), overrides);
    }

    /**
     * The sink database without a pipeline (for {@code sql}): the local stack's, or the one that flags and the
     * environment name; fails with directions when there is none.
     */
    static PostgresConnection postgres(MillraceHome home, ConnectionOptions connection) {
        ConfigKeys keys = new ConfigKeys();
        PostgresSettings.declare(keys);
        Map<String, String> base = new LinkedHashMap<>();
        StackInfo.read(home.stackFile()).live().postgresService().ifPresent(p -> {
            base.put(PostgresSettings.URL.name(), p.jdbcUrl());
            base.put(PostgresSettings.USER.name(), p.user());
        });
        Map<String, String> overrides = new LinkedHashMap<>(connection.asOverrides());
        overrides.keySet().removeIf(k -> !keys.contains(k));
        Settings settings = Settings.layered(keys.all(), base, "the local stack (" + home.stackFile() + ")", null,
                System.getenv(), overrides);
        if ("default".equals(settings.origin(PostgresSettings.URL))) {
            throw new UserError("the local stack is not running; start it with `./millrace up` or pass --postgres-url "
                    + "jdbc:postgresql://HOST:PORT/DB (or MILLRACE_POSTGRES_URL)");
        }
        return PostgresSettings.connection(settings);
    }

    /**
     * The warehouse without a pipeline (for {@code sql --warehouse}): {@code $MILLRACE_HOME/warehouse} unless the
     * environment ({@code MILLRACE_WAREHOUSE_*}) names another; its files must be on this machine.
     */
    static WarehouseConnection warehouse(MillraceHome home) {
        ConfigKeys keys = new ConfigKeys();
        WarehouseSettings.declare(keys);
        Map<String, String> base = Map.of(WarehouseSettings.PATH.name(), home.warehouse().toUri().toString());
        Settings settings = Settings.layered(keys.all(), base, "the local home (" + home.root() + ")", null,
                System.getenv(), Map.of());
        return WarehouseSettings.connection(settings).requireLocalFiles();
    }

    /**
     * A Kafka connection without a pipeline (for {@code tail}): the local stack's broker or the one flags and
     * the environment name, with the client settings of {@code --kafka-config} and the environment.
     */
    static KafkaConnection kafka(MillraceHome home, ConnectionOptions connection) {
        Map<String, String> base = new LinkedHashMap<>();
        StackInfo.read(home.stackFile()).live().kafkaService()
                .ifPresent(k -> base.put(CommonSettings.KAFKA_BOOTSTRAP_SERVERS.name(), k.bootstrapServers()));
        Map<String, String> overrides = new LinkedHashMap<>();
        List<ConfigKey<?>> keys = KafkaClientSettings.keys();
        connection.asOverrides().forEach((k, v) -> {
            if (keys.stream().anyMatch(key -> key.name().equals(k))) {
                overrides.put(k, v);
            }
        });
        Settings settings = Settings.layered(keys, base, "the local stack (" + home.stackFile() + ")", null,
                System.getenv(), overrides);
        if ("default".equals(settings.origin(CommonSettings.KAFKA_BOOTSTRAP_SERVERS))) {
            throw new UserError("the local stack is not running; start it with ./millrace up or pass --kafka HOST:PORT "
                    + "(or MILLRACE_KAFKA_BOOTSTRAP_SERVERS)");
        }
        return KafkaClientSettings.read(settings);
    }

    /**
     * The OpenSearch a pipeline writes, without the rest of its settings (for {@code search}): the local stack's
     * node, or the one flags and the environment name; the default URL when neither does.
     */
    static SearchConnection search(MillraceHome home, ConnectionOptions connection) {
        ConfigKeys keys = new ConfigKeys();
        SearchSettings.declare(keys);
        Map<String, String> base = new LinkedHashMap<>();
        StackInfo.read(home.stackFile()).live().searchService().ifPresent(s -> base.put(SearchSettings.URL.name(), s.url()));
        Map<String, String> overrides = new LinkedHashMap<>(connection.asOverrides());
        overrides.keySet().removeIf(k -> !keys.contains(k));
        Settings settings = Settings.layered(keys.all(), base, "the local stack (" + home.stackFile() + ")", null,
                System.getenv(), overrides);
        return SearchSettings.connection(settings);
    }

    /** Fails with directions when neither a running stack nor any setting says where the services are. */
    static void requireEndpoints(Settings settings, Set<Service> services) {
        boolean kafkaUnset = "default".equals(settings.origin(CommonSettings.KAFKA_BOOTSTRAP_SERVERS));
        boolean needsPostgres = services.contains(Service.POSTGRES);
        boolean postgresUnset = needsPostgres && "default".equals(settings.origin(PostgresSettings.URL));
        boolean needsRedis = services.contains(Service.REDIS);
        boolean needsSearch = services.contains(Service.SEARCH);
        boolean searchUnset = needsSearch && "default".equals(settings.origin(SearchSettings.URL));
        boolean redisUnset = needsRedis && "default".equals(settings.origin(RedisSettings.PORT))
                && "default".equals(settings.origin(RedisSettings.HOST));
        if (kafkaUnset || postgresUnset || redisUnset || searchUnset) {
            throw new UserError("the local stack is not running (no live services in .millrace/stack.json). "
                    + "Start it with `./millrace up` (or `./millrace up --detach`), or point at your own services with "
                    + "--kafka HOST:PORT" + (needsPostgres ? ", --postgres-url jdbc:postgresql://HOST:PORT/DB" : "")
                    + (needsRedis ? ", --redis HOST:PORT" : "") + (needsSearch ? ", --search URL" : "")
                    + " (or MILLRACE_KAFKA_BOOTSTRAP_SERVERS / MILLRACE_POSTGRES_URL"
                    + (needsRedis ? " / MILLRACE_REDIS_HOST" : "") + (needsSearch ? " / MILLRACE_SEARCH_URL" : "") + ").");
        }
    }
}
