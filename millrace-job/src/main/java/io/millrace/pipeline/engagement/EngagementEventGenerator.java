package io.millrace.pipeline.engagement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.millrace.gen.EventGenerator;
import io.millrace.gen.GeneratedRecord;
import io.millrace.gen.GeneratedRecord.Kind;
import io.millrace.gen.GeneratedRecord.Target;
import io.millrace.gen.GeneratorOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Rows for the source database as the original generator writes them: {@code contentRows} content items of
 * 16 types (newsletters, ebooks and whitepapers have no length), then engagement events (play, pause,
 * finish, click from five devices; a duration from 1 s up to the content's length for play, pause and
 * finish on content with a length, none otherwise), and now and then a content update (title, type,
 * length) or delete, so the join must follow the database. Each record is one row change as JSON with the
 * table's column names; the same seed gives the same rows.
 *
 * <p>Malformed rows ({@code badFraction}) have a negative duration or a raw payload that is not an object
 * naming its session; as many events again point at content that does not exist (valid rows of unknown
 * content).
 */
public final class EngagementEventGenerator implements EventGenerator {

    static final String[] CONTENT_TYPES = {"podcast", "newsletter", "video", "webinar", "course", "article", "ebook",
        "whitepaper", "case-study", "tutorial", "demo", "interview", "documentary", "livestream", "audiobook", "blog-post"};
    static final String[] EVENT_TYPES = {"play", "pause", "finish", "click"};
    static final String[] DEVICES = {"ios", "android", "web-chrome", "web-safari", "web-firefox"};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A content row the generator has written and not deleted. */
    private record Content(String id, String type, Integer length) {}

    private final GeneratorOptions options;
    private final int contentRows;
    private final long changeEvery;
    private final Random random;
    private final List<Content> live = new ArrayList<>();
    private int created;
    private long events;
    private long maxEventTime = Long.MIN_VALUE;

    /** @param changeEvery events between two content changes (an update, or every fourth time a delete) */
    public EngagementEventGenerator(GeneratorOptions options, int contentRows, long changeEvery) {
        this.options = options;
        this.contentRows = contentRows;
        this.changeEvery = changeEvery;
        this.random = new Random(options.seed());
    }

    @Override
    public GeneratedRecord next() {
        if (created < contentRows) {
            return insertContent(options.startTime());
        }
        long clock = options.startTime() + (long) (events * 1000.0 / options.rate());
        if (changeEvery > 0 && events > 0 && events % changeEvery == 0 && live.size() > 1) {
            events++;
            return random.nextInt(4) == 0 ? deleteContent(clock) : updateContent(clock);
        }
        events++;
        double r = random.nextDouble();
        double bad = options.badFraction();
        double unknown = bad + options.badFraction();
        double late = unknown + options.lateFraction();
        double ooo = late + options.outOfOrderFraction();
        if (r < bad) {
            return malformed(clock);
        }
        if (r < unknown) {
            return event(Kind.TRADE, new Content(uuid().toString(), null, null), clock);
        }
        if (r < late) {
            return event(Kind.LATE, pick(), clock - options.lateBy().toMillis() - random.nextInt(60_000));
        }
        if (r < ooo) {
            return event(Kind.OUT_OF_ORDER, pick(), Math.max(options.startTime(),
                    clock - 1 - (long) (random.nextDouble() * Math.max(1, options.maxDelay().toMillis()))));
        }
        return event(Kind.TRADE, pick(), clock);
    }

    @Override
    public long maxEventTime() {
        return maxEventTime;
    }

    /** No closing rows: a minute becomes final as commit time passes it, which the capture's heartbeats carry. */
    @Override
    public List<GeneratedRecord> closing(int partitions, long after) {
        return List.of();
    }

    private Content pick() {
        return live.get(random.nextInt(live.size()));
    }

    private GeneratedRecord insertContent(long publishTs) {
        String type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        Content c = new Content(uuid().toString(), type, length(type));
        live.add(c);
        int n = created++;
        ObjectNode row = JSON.createObjectNode().put("op", "insert").put("id", c.id())
                .put("slug", "content-" + n + "-" + c.id().substring(0, 8)).put("title", title())
                .put("content_type", c.type()).put("publish_ts", Instant.ofEpochMilli(publishTs - random.nextInt(1_000_000) * 60_000L).toString());
        row.set("length_seconds", c.length() == null ? null : JSON.getNodeFactory().numberNode(c.length()));
        return record(Kind.INFO, Target.REFERENCE, row, publishTs);
    }

    private GeneratedRecord updateContent(long clock) {
        int i = random.nextInt(live.size());
        Content old = live.get(i);
        String type = random.nextBoolean() ? old.type() : CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        Content c = new Content(old.id(), type, length(type));
        live.set(i, c);
        ObjectNode row = JSON.createObjectNode().put("op", "update").put("id", c.id()).put("title", title())
                .put("content_type", c.type());
        row.set("length_seconds", c.length() == null ? null : JSON.getNodeFactory().numberNode(c.length()));
        return record(Kind.INFO, Target.REFERENCE, row, clock);
    }

    private GeneratedRecord deleteContent(long clock) {
        Content c = live.remove(random.nextInt(live.size()));
        return record(Kind.INFO, Target.REFERENCE, JSON.createObjectNode().put("op", "delete").put("id", c.id()), clock);
    }

    private GeneratedRecord event(Kind kind, Content content, long ts) {
        String type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
        Integer duration = !type.equals("click") && content.length() != null
                ? 1000 + random.nextInt(content.length() * 1000 - 999) : null;
        if (kind != Kind.LATE) {
            maxEventTime = Math.max(maxEventTime, ts);
        }
        return record(kind, Target.MAIN, eventRow(content.id(), type, ts, duration, payload()), ts);
    }

    private GeneratedRecord malformed(long clock) {
        Content content = pick();
        ObjectNode row = random.nextBoolean()
                ? eventRow(content.id(), "pause", clock, -1 - random.nextInt(60_000), payload())
                : eventRow(content.id(), "play", clock, 1000, random.nextBoolean()
                        ? JSON.getNodeFactory().textNode("session=" + uuid())
                        : JSON.createObjectNode().put("ip", "10.0.0.1"));
        return record(Kind.BAD, Target.MAIN, row, clock);
    }

    private ObjectNode eventRow(String contentId, String type, long ts, Integer duration,
            com.fasterxml.jackson.databind.JsonNode payload) {
        ObjectNode row = JSON.createObjectNode().put("content_id", contentId).put("user_id", uuid().toString())
                .put("event_type", type).put("event_ts", Instant.ofEpochMilli(ts).toString())
                .put("device", DEVICES[random.nextInt(DEVICES.length)]);
        row.set("duration_ms", duration == null ? null : JSON.getNodeFactory().numberNode(duration));
        row.set("raw_payload", payload);
        return row;
    }

    private ObjectNode payload() {
        return JSON.createObjectNode().put("session_id", uuid().toString())
                .put("ip", (10 + random.nextInt(200)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(256))
                .put("user_agent", "Mozilla/5.0 (millrace " + random.nextInt(100) + ")");
    }

    /** 60 s to 2 h for audio and video, 5 to 30 min for reading, none for newsletters, ebooks and whitepapers. */
    private Integer length(String type) {
        return switch (type) {
            case "newsletter", "ebook", "whitepaper" -> null;
            case "article", "case-study", "blog-post" -> 300 + random.nextInt(1501);
            default -> 60 + random.nextInt(7141);
        };
    }

    private String title() {
        String[] words = {"Streams", "Windows", "State", "Joins", "Latency", "Replays", "Sinks", "Offsets", "Queries",
            "Schemas"};
        return words[random.nextInt(words.length)] + " " + words[random.nextInt(words.length)] + " " + random.nextInt(1000);
    }

    private UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    private static GeneratedRecord record(Kind kind, Target target, ObjectNode row, long ts) {
        return new GeneratedRecord(kind, target, null, null, row.toString().getBytes(StandardCharsets.UTF_8), ts);
    }
}
