package io.millrace.stack;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.millrace.pipeline.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The endpoints of the running local services (Kafka, PostgreSQL, Redis, OpenSearch, change data capture), as written to {@code stack.json}. Each service records the
 * pid of the process that owns it, so a stale file (after a kill -9) is recognised and ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackInfo(KafkaService kafka, PostgresService postgres, RedisService redis, SearchService search,
        CaptureService capture) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The broker and the process that runs it. */
    public record KafkaService(long pid, String bootstrapServers, int controllerPort, String startedAt) {

        @JsonIgnore
        public boolean alive() {
            return isAlive(pid);
        }
    }

    /** The database server, the process that supervises it, and how to connect. */
    public record PostgresService(long pid, long serverPid, String host, int port, String user, String database,
            String jdbcUrl, String startedAt) {

        @JsonIgnore
        public boolean alive() {
            return isAlive(pid) && isAlive(serverPid);
        }

        /** The URL of another database on this server. */
        public String jdbcUrl(String otherDatabase) {
            return jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/') + 1) + otherDatabase;
        }

        @JsonIgnore
        public String psqlCommand() {
            return "psql -h " + host + " -p " + port + " -U " + user + " " + database;
        }
    }

    /** The Redis server and the process that supervises it. */
    public record RedisService(long pid, long serverPid, String host, int port, String startedAt) {

        @JsonIgnore
        public boolean alive() {
            return isAlive(pid) && isAlive(serverPid);
        }
    }

    /** The OpenSearch node, the process that supervises it, and its base URL. */
    public record SearchService(long pid, long serverPid, String url, int port, String startedAt) {

        @JsonIgnore
        public boolean alive() {
            return isAlive(pid) && isAlive(serverPid);
        }
    }

    /** The change data capture of the pipelines that read a database's changes, and the process running it. */
    public record CaptureService(long pid, List<CapturedPipeline> pipelines, String startedAt) {

        @JsonIgnore
        public boolean alive() {
            return isAlive(pid);
        }
    }

    /** One captured source: the pipeline, its database, its replication slot and the topics written. */
    public record CapturedPipeline(String pipeline, String jdbcUrl, String user, String slot, List<String> topics) {}

    public static final StackInfo EMPTY = new StackInfo(null, null, null, null, null);

    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Services whose owning process is alive. */
    public StackInfo live() {
        return new StackInfo(kafka != null && kafka.alive() ? kafka : null,
                postgres != null && postgres.alive() ? postgres : null, redis != null && redis.alive() ? redis : null,
                search != null && search.alive() ? search : null, capture != null && capture.alive() ? capture : null);
    }

    public StackInfo withKafka(KafkaService service) {
        return new StackInfo(service, postgres, redis, search, capture);
    }

    public StackInfo withPostgres(PostgresService service) {
        return new StackInfo(kafka, service, redis, search, capture);
    }

    public StackInfo withRedis(RedisService service) {
        return new StackInfo(kafka, postgres, service, search, capture);
    }

    public StackInfo withCapture(CaptureService service) {
        return new StackInfo(kafka, postgres, redis, search, service);
    }

    public StackInfo withSearch(SearchService service) {
        return new StackInfo(kafka, postgres, redis, service, capture);
    }

    /** Without the services owned by process {@code pid}. */
    public StackInfo without(long pid) {
        return new StackInfo(kafka != null && kafka.pid() == pid ? null : kafka,
                postgres != null && postgres.pid() == pid ? null : postgres,
                redis != null && redis.pid() == pid ? null : redis, search != null && search.pid() == pid ? null : search,
                capture != null && capture.pid() == pid ? null : capture);
    }

    /** Whether {@code service} is registered (call on {@link #live()} for running ones). */
    public boolean has(Service service) {
        return switch (service) {
            case KAFKA -> kafka != null;
            case POSTGRES -> postgres != null;
            case REDIS -> redis != null;
            case SEARCH -> search != null;
            case CAPTURE -> capture != null;
        };
    }

    /** The pids of the processes that own a registered service. */
    @JsonIgnore
    public Set<Long> owners() {
        Set<Long> pids = new LinkedHashSet<>();
        Stream.of(kafka == null ? null : kafka.pid(), postgres == null ? null : postgres.pid(),
                redis == null ? null : redis.pid(), search == null ? null : search.pid(), capture == null ? null : capture.pid()).filter(Objects::nonNull)
                .forEach(pids::add);
        return pids;
    }

    @JsonIgnore
    public boolean isEmpty() {
        return kafka == null && postgres == null && redis == null && search == null && capture == null;
    }

    public static StackInfo read(Path file) {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        try {
            return JSON.readValue(file.toFile(), StackInfo.class);
        } catch (IOException e) {
            return EMPTY;
        }
    }

    /** Reads, changes and writes the file under a lock, so two stack processes cannot lose each other's entry. */
    public static StackInfo update(Path file, UnaryOperator<StackInfo> change) {
        try {
            Files.createDirectories(file.getParent());
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                StackInfo next = change.apply(read(file));
                if (next.isEmpty()) {
                    Files.deleteIfExists(file);
                } else {
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    JSON.writeValue(tmp.toFile(), next);
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                return next;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file, e);
        }
    }

    public Optional<KafkaService> kafkaService() {
        return Optional.ofNullable(kafka);
    }

    public Optional<PostgresService> postgresService() {
        return Optional.ofNullable(postgres);
    }

    public Optional<RedisService> redisService() {
        return Optional.ofNullable(redis);
    }

    public Optional<SearchService> searchService() {
        return Optional.ofNullable(search);
    }

    public Optional<CaptureService> captureService() {
        return Optional.ofNullable(capture);
    }
}
