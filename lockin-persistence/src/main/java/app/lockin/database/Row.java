package app.lockin.database;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One row of a native query ({@link Rows}), read by column name: the name the
 * query gives the column (its alias, or the column's or the function's OUT
 * name), as PostgreSQL labels it (in lower case unless quoted). A name the
 * result does not have is an {@link IllegalArgumentException} that lists the
 * ones it has, never a silent null.
 * <p>
 * The values are the driver's: {@code uuid} as {@link UUID}, {@code timestamptz}
 * as {@link Timestamp}, integers as the {@link Number} of the column's width,
 * arrays as {@code Object[]} of their elements (uuid[] and boolean[] come in
 * binary, see {@link ConfiguredDataSource}). The getters only cast and convert
 * those; a null where a primitive is asked for is a {@link NullPointerException}.
 */
public final class Row {

    private final Rows.Columns columns;
    private final Map<?, ?> values;

    Row(Rows.Columns columns, Map<?, ?> values) {
        this.columns = columns;
        this.values = values;
    }

    /** The value as the driver gives it. */
    public Object get(String column) {
        return values.get(columns.key(column));
    }

    public String string(String column) {
        return (String) get(column);
    }

    public UUID uuid(String column) {
        return (UUID) get(column);
    }

    public boolean bool(String column) {
        return (Boolean) get(column);
    }

    public long longValue(String column) {
        return ((Number) get(column)).longValue();
    }

    public int intValue(String column) {
        return ((Number) get(column)).intValue();
    }

    /** An integer column that may be null (null stays null). */
    public Integer integer(String column) {
        Number value = (Number) get(column);
        return value == null ? null : value.intValue();
    }

    /** A {@code timestamptz} (null stays null). */
    public Instant instant(String column) {
        Object value = get(column);
        return value == null || value instanceof Instant ? (Instant) value : ((Timestamp) value).toInstant();
    }

    /** An array column's elements (null stays null). */
    public Object[] array(String column) {
        return (Object[]) get(column);
    }

    public byte[] bytes(String column) {
        return (byte[]) get(column);
    }
}
