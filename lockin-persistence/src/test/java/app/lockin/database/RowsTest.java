package app.lockin.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Vector;

import org.eclipse.persistence.internal.helper.DatabaseField;
import org.eclipse.persistence.internal.sessions.ArrayRecord;
import org.junit.jupiter.api.Test;

/** Rows as EclipseLink gives them with the hint: its records, fields named by the columns' labels. */
class RowsTest {

    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final Instant AT = Instant.parse("2026-12-06T10:15:30.123456Z");

    /** A result as EclipseLink's DatabaseAccessor reads it: one field per column label, shared by every row. */
    private static List<ArrayRecord> result(List<String> labels, Object[]... rows) {
        Vector<DatabaseField> fields = new Vector<>();
        labels.forEach(label -> fields.add(new DatabaseField(label)));
        DatabaseField[] array = fields.toArray(new DatabaseField[0]);
        List<ArrayRecord> records = new ArrayList<>();
        for (Object[] values : rows) {
            records.add(new ArrayRecord(fields, array, values));
        }
        return records;
    }

    @Test
    void readsEachValueByItsColumnsNameAsTheDriverGaveIt() {
        List<Row> rows = Rows.of(result(List.of("user_id", "display_name", "seconds_done", "streak", "goal_met", "period_start",
                        "avatar_url", "user_ids", "body"),
                new Object[] {ID, "Ada", 3600L, 4, true, Timestamp.from(AT), null, new Object[] {ID}, new byte[] {1}},
                new Object[] {null, "Bob", 0L, 0, false, null, "https://a/b.png", new Object[0], null}));

        Row first = rows.get(0);
        assertThat(first.uuid("user_id")).isEqualTo(ID);
        assertThat(first.string("display_name")).isEqualTo("Ada");
        assertThat(first.longValue("seconds_done")).isEqualTo(3600L);
        assertThat(first.intValue("streak")).isEqualTo(4);
        assertThat(first.bool("goal_met")).isTrue();
        assertThat(first.instant("period_start")).isEqualTo(AT);
        assertThat(first.string("avatar_url")).isNull();
        assertThat(first.array("user_ids")).containsExactly(ID);
        assertThat(first.bytes("body")).containsExactly(1);
        assertThat(first.get("seconds_done")).isInstanceOf(Long.class);

        Row second = rows.get(1);
        assertThat(second.uuid("user_id")).isNull();
        assertThat(second.string("display_name")).isEqualTo("Bob");
        assertThat(second.bool("goal_met")).isFalse();
        assertThat(second.instant("period_start")).isNull();
        assertThat(second.string("avatar_url")).isEqualTo("https://a/b.png");
        assertThat(second.array("user_ids")).isEmpty();
    }

    @Test
    void anIntegerOfAnyWidthIsReadAsLongOrInt() {
        Row row = Rows.of(result(List.of("count", "target"), new Object[] {7L, (short) 30})).get(0);
        assertThat(row.intValue("count")).isEqualTo(7);
        assertThat(row.longValue("target")).isEqualTo(30L);
    }

    @Test
    void aNullWhereAPrimitiveIsAskedForFails() {
        Row row = Rows.of(result(List.of("goal_met", "streak"), new Object[] {null, null})).get(0);
        assertThatThrownBy(() -> row.bool("goal_met")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> row.intValue("streak")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aNameTheResultHasNotFailsAndSaysWhichItHas() {
        Row row = Rows.of(result(List.of("user_id", "rank"), new Object[] {ID, 1L})).get(0);
        assertThatThrownBy(() -> row.uuid("userid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No column userid")
                .hasMessageContaining("[rank, user_id]");
    }

    @Test
    void namesAreExactAsPostgresLabelsThem() {
        Row row = Rows.of(result(List.of("user_id"), new Object[] {ID})).get(0);
        assertThatThrownBy(() -> row.uuid("USER_ID")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameTwoColumnsShareCannotBeRead() {
        // two expressions without an alias: PostgreSQL labels both ?column?
        Row row = Rows.of(result(List.of("?column?", "?column?", "id"), new Object[] {true, false, ID})).get(0);
        assertThatThrownBy(() -> row.bool("?column?"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("More than one column ?column?");
        assertThat(row.uuid("id")).isEqualTo(ID);
    }

    /** A JDBC result of these labels and rows, as far as {@link Rows#each} reads one. */
    private static ResultSet jdbc(List<String> labels, Object[]... rows) {
        ResultSetMetaData meta = (ResultSetMetaData) Proxy.newProxyInstance(RowsTest.class.getClassLoader(),
                new Class<?>[] {ResultSetMetaData.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getColumnCount" -> labels.size();
                    case "getColumnLabel" -> labels.get((Integer) args[0] - 1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        int[] at = {-1};
        return (ResultSet) Proxy.newProxyInstance(RowsTest.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getMetaData" -> meta;
                    case "next" -> ++at[0] < rows.length;
                    case "getObject" -> rows[at[0]][(Integer) args[0] - 1];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aJdbcResultIsHandedOverRowByRowReadByName() throws SQLException {
        List<Row> seen = new ArrayList<>();
        Rows.each(jdbc(List.of("id", "started_at", "group_name", "?column?", "?column?"),
                new Object[] {ID, Timestamp.from(AT), "Deep work", 1, 2},
                new Object[] {ID, null, null, 3, 4}), seen::add);

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).uuid("id")).isEqualTo(ID);
        assertThat(seen.get(0).instant("started_at")).isEqualTo(AT);
        assertThat(seen.get(0).string("group_name")).isEqualTo("Deep work");
        assertThat(seen.get(1).instant("started_at")).isNull();
        assertThatThrownBy(() -> seen.get(1).get("?column?")).hasMessageContaining("More than one column ?column?");
        assertThatThrownBy(() -> seen.get(1).get("name")).hasMessageContaining("[?column?, group_name, id, started_at]");
    }

    @Test
    void anEmptyResultHasNoRows() {
        assertThat(Rows.of(List.of())).isEmpty();
    }
}
