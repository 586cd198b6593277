package io.millrace.stack;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The endpoints of the running local services, as written to {@code stack.json}. Each service records the
 * pid of the process that owns it, so a stale file (after a kill -9) is recognised and ignored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StackInfo(KafkaService kafka, PostgresService postgres) {

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

        @JsonIgnore
        public String psqlCommand() {
            return "psql -h " + host + " -p " + port + " -U " + user + " " + database;
        }
    }

    public static final StackInfo EMPTY = new StackInfo(null, null);

    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Services whose owning process is alive. */
    public StackInfo live() {
        return new StackInfo(kafka != null && kafka.alive() ? kafka : null,
                postgres != null && postgres.alive() ? postgres : null);
    }

    public StackInfo withKafka(KafkaService service) {
        return new StackInfo(service, postgres);
    }

    public StackInfo withPostgres(PostgresService service) {
        return new StackInfo(kafka, service);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return kafka == null && postgres == null;
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
}
