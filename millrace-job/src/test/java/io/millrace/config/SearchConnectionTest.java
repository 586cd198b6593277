package io.millrace.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An OpenSearch endpoint: its URL checked and normalised, basic authentication, and a password never shown. */
class SearchConnectionTest {

    @Test
    void shouldNeverShowThePassword() {
        SearchConnection connection = new SearchConnection("http://127.0.0.1:19200/", "admin", "s3cret");

        assertThat(connection.toString()).doesNotContain("s3cret").contains("****").contains("admin");
        assertThat(connection.url()).isEqualTo("http://127.0.0.1:19200");
        assertThat(connection.authorization()).contains("Basic YWRtaW46czNjcmV0");
    }

    @Test
    void shouldSendNoAuthorizationWithoutAUser() {
        assertThat(SearchConnection.of("http://127.0.0.1:19200").authorization()).isEmpty();
    }

    @Test
    void shouldRefuseAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> SearchConnection.of("127.0.0.1:19200")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)://HOST:PORT");
    }
}
