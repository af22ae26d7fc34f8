package app.lockin.database;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

import jakarta.persistence.Query;

import org.eclipse.persistence.config.QueryHints;
import org.eclipse.persistence.config.ResultType;

/**
 * A native query's rows, each read by column name ({@link Row}) instead of by
 * position: the one way the application reads the rows of its SQL.
 * <p>
 * EclipseLink gives the rows as maps from column to value (query hint
 * {@code eclipselink.result-type=Map}: the record it reads each row into, not
 * a copy; the hint itself costs nothing measurable). A map's own lookup by a
 * name string is slow (it parses the name and compares it with every column
 * before it), so each column name is matched once per query, on the first
 * row, with the result's own key for it; every row is then read with those
 * keys, which the record finds at their position. A board of 20 rows and 14
 * columns, through EclipseLink from PostgreSQL, cost the JVM 41 µs of CPU a
 * query read by position; ~5 µs more through Rows (~0.1 µs a row, ~3 µs a
 * query), 19 µs more with the map's own lookup by name.
 * <p>
 * A result too large to hold (an export) is read from JDBC instead, one row
 * at a time ({@link #each}), as rows of the same kind.
 */
public final class Rows {

    private Rows() {
    }

    /** The rows of a query that selects several columns. */
    public static List<Row> list(Query query) {
        return of(query.setHint(QueryHints.RESULT_TYPE, ResultType.Map).getResultList());
    }

    /** The one row of a query that gives exactly one (else as {@link Query#getSingleResult()}). */
    public static Row single(Query query) {
        Map<?, ?> row = (Map<?, ?>) query.setHint(QueryHints.RESULT_TYPE, ResultType.Map).getSingleResult();
        return new Row(Columns.of(row), row);
    }

    /**
     * Hands each row of a JDBC result to {@code action} as the driver reads
     * it, keeping none: with a fetch size set on a statement inside a
     * transaction, PostgreSQL sends the rows in batches of that size (a
     * cursor), so memory holds one batch whatever the result's size. Values
     * are the driver's, as {@link Row} describes them.
     */
    public static void each(ResultSet result, Consumer<Row> action) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        String[] labels = new String[meta.getColumnCount()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = meta.getColumnLabel(i + 1);
        }
        Columns columns = Columns.of(labels);
        while (result.next()) {
            Map<String, Object> values = new HashMap<>(labels.length * 2);
            for (int i = 0; i < labels.length; i++) {
                values.put(labels[i], NativeSql.value(result.getObject(i + 1)));
            }
            action.accept(new Row(columns, values));
        }
    }

    /** Rows given as maps from column to value, all with the columns of the first. */
    static List<Row> of(List<?> maps) {
        if (maps.isEmpty()) {
            return List.of();
        }
        Columns columns = Columns.of((Map<?, ?>) maps.get(0));
        List<Row> rows = new ArrayList<>(maps.size());
        for (Object map : maps) {
            rows.add(new Row(columns, (Map<?, ?>) map));
        }
        return rows;
    }

    /**
     * The columns of a result: each name (as PostgreSQL labels the column) and
     * the result's key for it. A name two columns share cannot be read: the
     * query must alias one of them.
     */
    static final class Columns {

        private static final Object AMBIGUOUS = new Object();

        private final Map<String, Object> keys;

        private Columns(Map<String, Object> keys) {
            this.keys = keys;
        }

        static Columns of(Map<?, ?> row) {
            Map<String, Object> keys = new HashMap<>();
            for (Object key : row.keySet()) {
                // EclipseLink's key is its field for the column: its string is the column's label
                keys.merge(String.valueOf(key), key, (first, second) -> AMBIGUOUS);
            }
            return new Columns(keys);
        }

        /** The columns of a JDBC result: each label is its own key. */
        static Columns of(String[] labels) {
            Map<String, Object> keys = new HashMap<>();
            for (String label : labels) {
                keys.merge(label, label, (first, second) -> AMBIGUOUS);
            }
            return new Columns(keys);
        }

        Object key(String column) {
            Object key = keys.get(column);
            if (key == null) {
                throw new IllegalArgumentException("No column " + column + " in this result; its columns are "
                        + new TreeSet<>(keys.keySet()));
            }
            if (key == AMBIGUOUS) {
                throw new IllegalArgumentException("More than one column " + column
                        + " in this result: the query must give them names of their own");
            }
            return key;
        }
    }
}
