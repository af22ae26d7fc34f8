package app.lockin.profiles;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.json.stream.JsonGenerator;

/**
 * The row a result stands on, written as the fields of the JSON object being
 * generated: a field per column, named by the column's label (the statement
 * names its columns as the API does, in snake_case), valued as the API writes
 * values: text and UUIDs as strings, timestamps in RFC 3339 UTC with at most
 * milliseconds ({@code 2026-11-24T09:30:00.123Z}), numbers, booleans, arrays
 * of text, null. A column of another type (an enum not cast to text, an array
 * of anything but text) is a mistake of the statement and fails, naming the
 * column.
 */
final class JsonColumns {

    private final String[] labels;

    private JsonColumns(String[] labels) {
        this.labels = labels;
    }

    static JsonColumns of(ResultSet result) throws SQLException {
        ResultSetMetaData meta = result.getMetaData();
        String[] labels = new String[meta.getColumnCount()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = meta.getColumnLabel(i + 1);
        }
        return new JsonColumns(labels);
    }

    /** The current row's columns, as fields of the object the generator is in. */
    void write(ResultSet row, JsonGenerator json) throws SQLException {
        for (int i = 0; i < labels.length; i++) {
            String name = labels[i];
            Object value = row.getObject(i + 1);
            if (value == null) {
                json.writeNull(name);
            } else if (value instanceof String text) {
                json.write(name, text);
            } else if (value instanceof UUID id) {
                json.write(name, id.toString());
            } else if (value instanceof Timestamp at) {
                json.write(name, DateTimeFormatter.ISO_INSTANT.format(at.toInstant().truncatedTo(ChronoUnit.MILLIS)));
            } else if (value instanceof Boolean flag) {
                json.write(name, flag);
            } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
                json.write(name, ((Number) value).longValue());
            } else if (value instanceof BigDecimal number) {
                json.write(name, number);
            } else if (value instanceof java.sql.Array array && array.getArray() instanceof String[] texts) {
                json.writeStartArray(name);
                for (String text : texts) {
                    json.write(text);
                }
                json.writeEnd();
            } else {
                throw new IllegalArgumentException("Column " + name + " is a " + value.getClass().getName()
                        + ", which the export does not write: cast it to text in the statement");
            }
        }
    }
}
