package app.lockin.database;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a database is, read from {@code DATABASE_URL} (and the settings of
 * the same form: {@code DATABASE_MIGRATION_URL}, and the replicas'
 * {@code DATABASE_READ_URL}, a comma-separated list of them).
 *
 * <p>Two forms are accepted: the original backend's
 * {@code postgresql://user:password@host:port/db?sslmode=require} (also
 * {@code postgres://}), whose credentials are taken out of the URL, and a
 * plain {@code jdbc:postgresql://...} URL, passed to the driver as it is.
 * A value that is neither is refused with a message naming its setting.
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<String> password) {

    /**
     * A comma that starts another URL of a list: one followed by a scheme and
     * {@code //}, or by {@code jdbc:} (a JDBC URL's host list, {@code h1:5432,h2:5432},
     * is not).
     */
    private static final Pattern LIST_SEPARATOR = Pattern.compile(",(?=\\s*(?:[A-Za-z][A-Za-z0-9+.-]*://|jdbc:))");

    public DatabaseUrl {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL");
        }
    }

    /** {@code DATABASE_URL}'s value. */
    public static DatabaseUrl parse(String value) {
        return parse("DATABASE_URL", value);
    }

    /** The value of the setting {@code name}: one URL. */
    public static DatabaseUrl parse(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        String url = value.strip();
        if (url.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(url, Optional.empty(), Optional.empty());
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a valid URL: " + e.getReason());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    name + " must start with postgresql://, postgres:// or jdbc:postgresql:");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(name + " names no host");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getRawAuthority().substring(
                uri.getRawUserInfo() == null ? 0 : uri.getRawUserInfo().length() + 1));
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }

        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon))).filter(s -> !s.isEmpty());
            if (colon >= 0) {
                password = Optional.of(decode(userInfo.substring(colon + 1)));
            }
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    /**
     * The value of the setting {@code name} as a list of URLs separated by
     * commas (a comma inside a URL, in a password say, is percent-encoded,
     * or in a JDBC URL's host list or query: only a comma followed by the
     * start of another URL separates two). Each is refused as {@link #parse(String, String)}
     * refuses it, its position named; the same database twice is refused too.
     */
    public static List<DatabaseUrl> list(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        String[] parts = LIST_SEPARATOR.split(value.strip(), -1);
        List<DatabaseUrl> urls = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String item = parts.length == 1 ? name : name + "'s URL " + (i + 1) + " of " + parts.length;
            DatabaseUrl url = parse(item, parts[i]);
            String plain = parts[i].strip();
            int query = plain.indexOf('?');
            if (!plain.startsWith("jdbc:") && (query < 0 ? plain : plain.substring(0, query)).contains(",")) {
                throw new IllegalArgumentException(item + " holds a comma that does not start another URL"
                        + " (each URL of the list starts with postgresql://, postgres:// or jdbc:postgresql:;"
                        + " a comma in a password is written %2C)");
            }
            if (urls.stream().anyMatch(u -> u.toString().equals(url.toString()))) {
                throw new IllegalArgumentException(item + " (" + url + ") is listed twice");
            }
            urls.add(url);
        }
        return List.copyOf(urls);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL without credentials, for logs. */
    @Override
    public String toString() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
