package io.millrace.config;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * An OpenSearch endpoint: its base URL and, optionally, a user and password for basic authentication; the
 * password never appears in {@link #toString()}.
 */
public record SearchConnection(String url, String user, String password) implements Serializable {

    public SearchConnection {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("OpenSearch URL is empty");
        }
        url = url.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("OpenSearch URL '" + url + "' is not http(s)://HOST:PORT");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("OpenSearch URL '" + url + "' is not http(s)://HOST:PORT: " + e.getMessage(), e);
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** An endpoint without authentication (the local stack's). */
    public static SearchConnection of(String url) {
        return new SearchConnection(url, "", "");
    }

    /** The {@code Authorization} header value, when a user is set. */
    public Optional<String> authorization() {
        if (user.isEmpty()) {
            return Optional.empty();
        }
        String pair = user + ":" + password;
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "SearchConnection[url=" + url + ", user=" + (user.isEmpty() ? "(none)" : user) + ", password="
                + (password.isEmpty() ? "(none)" : "****") + "]";
    }
}
