package io.millrace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Redis connection and sink options: the password stays out of logs, impossible settings fail at once. */
class RedisConnectionTest {

    @Test
    void thePasswordNeverAppearsInToString() {
        String text = new RedisConnection("127.0.0.1", 6379, "s3cret-Redis", 2).toString();

        assertThat(text).doesNotContain("s3cret-Redis").contains("password=****", "127.0.0.1", "6379", "database=2");
        assertThat(new RedisConnection("127.0.0.1", 6379, "", 0).toString()).contains("password=(none)");
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThatThrownBy(() -> new RedisConnection("", 6379, "", 0)).hasMessageContaining("host");
        assertThatThrownBy(() -> new RedisConnection("127.0.0.1", 0, "", 0)).hasMessageContaining("port");
        assertThatThrownBy(() -> new RedisSinkOptions(0, Duration.ZERO, 3, Duration.ofMillis(100)))
                .hasMessageContaining("batch size");
        assertThatThrownBy(() -> new RedisSinkOptions(10, Duration.ofMillis(-1), 3, Duration.ofMillis(100)))
                .hasMessageContaining("flush interval");
    }
}
