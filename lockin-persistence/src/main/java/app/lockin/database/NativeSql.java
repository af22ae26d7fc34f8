package app.lockin.database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A native query as the application writes it for JPA ({@code ?1}, {@code ?2}:
 * numbered parameters, a number used as often as needed), run straight on a
 * JDBC connection: how reads reach a replica, which no persistence unit
 * serves. Its rows are the rows {@link Rows#list(jakarta.persistence.Query)} gives for the same query.
 */
public final class NativeSql {

    private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");

    /** Each text, as JDBC takes it, with the parameter number of each of its markers. */
    private static final Map<String, Prepared> PREPARED = new ConcurrentHashMap<>();

    private record Prepared(String jdbc, int[] numbers) {
    }

    private NativeSql() {
    }

    /** The rows of the query, with its parameters ({@code parameters[0]} is {@code ?1}). */
    public static List<Row> list(Connection connection, String sql, Object... parameters) throws SQLException {
        Prepared prepared = PREPARED.computeIfAbsent(sql, NativeSql::prepare);
        try (PreparedStatement statement = connection.prepareStatement(prepared.jdbc())) {
            for (int i = 0; i < prepared.numbers().length; i++) {
                int number = prepared.numbers()[i];
                if (number < 1 || number > parameters.length) {
                    throw new IllegalArgumentException("?" + number + " of the query has no value (" + parameters.length + " given)");
                }
                statement.setObject(i + 1, jdbcValue(parameters[number - 1]));
            }
            try (ResultSet result = statement.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                Rows.each(result, rows::add);
                return rows;
            }
        }
    }

    private static Prepared prepare(String sql) {
        Matcher marker = NUMBERED.matcher(sql);
        StringBuilder jdbc = new StringBuilder(sql.length());
        List<Integer> numbers = new ArrayList<>();
        while (marker.find()) {
            numbers.add(Integer.parseInt(marker.group(1)));
            marker.appendReplacement(jdbc, "?");
        }
        marker.appendTail(jdbc);
        return new Prepared(jdbc.toString(), numbers.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Object jdbcValue(Object value) {
        return value instanceof Instant instant ? Timestamp.from(instant) : value;
    }

    /** A value as the driver gives it, arrays as the arrays of their elements ({@link Row#array}). */
    static Object value(Object driverValue) throws SQLException {
        if (driverValue instanceof Array array) {
            try {
                return array.getArray();
            } finally {
                array.free();
            }
        }
        return driverValue;
    }
}
