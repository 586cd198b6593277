package io.millrace.config;

/** Where a pipeline's OpenSearch is: the keys every pipeline that writes a search index declares, and the connection. */
public final class SearchSettings {

    public static final ConfigKey<String> URL = ConfigKey.string("search.url", "http://127.0.0.1:19200",
            "OpenSearch base URL");
    public static final ConfigKey<String> USER = ConfigKey.string("search.user", "",
            "OpenSearch user for basic authentication (empty: none)");
    public static final ConfigKey<String> PASSWORD = ConfigKey.secret("search.password",
            "OpenSearch password (secret: the MILLRACE_SEARCH_PASSWORD environment variable or a file only)");

    private SearchSettings() {}

    public static void declare(ConfigKeys set) {
        set.add(URL);
        set.add(USER);
        set.add(PASSWORD);
    }

    public static SearchConnection connection(Settings s) {
        try {
            return new SearchConnection(s.get(URL), s.get(USER), s.get(PASSWORD));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (setting search.url)");
        }
    }
}
