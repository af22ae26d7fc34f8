package app.lockin.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import app.lockin.testing.MigratedDatabase;
import app.lockin.testing.Sql;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leaderboard stays an index lookup when a group has a long history (~100 k logs), never a scan
 * of every log: planned for one group and as the generic plan that group_leaderboard keeps.
 */
@ExtendWith(MigratedDatabase.class)
class PlanIT {

    private final Sql sql;

    PlanIT(Sql sql) {
        this.sql = sql;
    }

    @Test
    void theProgressQueryUsesTheIndexesAtAHundredThousandLogs() throws Exception {
        UUID group = UUID.randomUUID();
        try (Connection c = sql.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // 20 members, each with 5 000 one-hour logs, one every 105 minutes, over the last year
            s.execute("create temporary table plan_people on commit drop as "
                    + "select gen_random_uuid() as id, n from generate_series(1, 20) n");
            s.execute("insert into profiles (id, display_name) select id, 'Plan ' || n from plan_people");
            s.execute("insert into groups (id, owner_id, name, start_at, end_at, period_target_minutes) select '" + group
                    + "', id, 'History', now() - interval '365 days', now() + interval '1 day', 60 from plan_people where n = 1");
            s.execute("insert into group_members (group_id, user_id, role, created_at) select '" + group
                    + "', id, case when n = 1 then 'owner' else 'member' end::member_role, now() - interval '366 days' from plan_people");
            s.execute("insert into sessions (id, group_id, creator_id, status, started_at) select id, '" + group
                    + "', id, 'paused', now() - interval '366 days' from plan_people");
            s.execute("insert into session_participants (id, session_id, user_id, role, joined_at) "
                    + "select id, id, id, 'host', now() - interval '366 days' from plan_people");
            s.execute("insert into time_logs (participant_id, user_id, started_at, ended_at, source) "
                    + "select p.id, p.id, now() - k * interval '105 minutes' - interval '1 hour', now() - k * interval '105 minutes', 'clock' "
                    + "from plan_people p cross join generate_series(1, 5000) k");
            c.commit();
            c.setAutoCommit(true);
            s.execute("analyze time_logs");

            assertThat(sql.count("select count(*) from time_logs where group_id = ?", group)).isEqualTo(100_000);

            s.execute("set jit = off");
            // as planned for one group's id, and the generic plan group_leaderboard keeps per connection
            assertReadsLogsThroughTheIndex(plan(s, "explain (format json) select * from group_member_period_progress "
                    + "where group_id = '" + group + "'"));
            s.execute("set plan_cache_mode = force_generic_plan");
            s.execute("prepare leaderboard(uuid) as select * from group_member_period_progress where group_id = $1");
            assertReadsLogsThroughTheIndex(plan(s, "explain (format json) execute leaderboard('" + group + "')"));
            assertThat(sql.count("select count(*) from pg_proc where proname = 'group_leaderboard' "
                    + "and 'plan_cache_mode=force_generic_plan' = any(proconfig)")).isEqualTo(1);
            // the board as one member sees it (what the API reads): the same, for the generic plan
            // group_leaderboard_seen_by keeps
            String viewer;
            try (ResultSet rs = s.executeQuery("select user_id from group_members where group_id = '" + group
                    + "' and role = 'member' limit 1")) {
                rs.next();
                viewer = rs.getString(1);
            }
            s.execute("prepare seen(uuid, uuid) as select * from board_seen_by($1, $2, now())");
            assertReadsLogsThroughTheIndex(plan(s, "explain (format json) execute seen('" + group + "', '" + viewer + "')"));
            assertThat(sql.count("select count(*) from pg_proc where proname = 'group_leaderboard_seen_by' "
                    + "and 'plan_cache_mode=force_generic_plan' = any(proconfig)")).isEqualTo(1);
        }
    }

    private static JsonObject plan(Statement s, String explain) throws Exception {
        try (ResultSet rs = s.executeQuery(explain)) {
            rs.next();
            return Json.createReader(new StringReader(rs.getString(1))).readArray().getJsonObject(0).getJsonObject("Plan");
        }
    }

    private static void assertReadsLogsThroughTheIndex(JsonObject plan) {
        List<String> logAccess = new ArrayList<>();
        collect(plan, logAccess);
        assertThat(logAccess).as("how time_logs is read").isNotEmpty()
                .noneMatch(node -> node.startsWith("Seq Scan"))
                .anyMatch(node -> node.contains("time_logs_group_period_idx"));
    }

    /** Every plan node that reads time_logs, as "node type on index". */
    private static void collect(JsonObject node, List<String> found) {
        if ("time_logs".equals(node.getString("Relation Name", null)) || node.getString("Index Name", "").startsWith("time_logs")) {
            found.add(node.getString("Node Type") + " on " + node.getString("Index Name", "-"));
        }
        JsonArray children = node.getJsonArray("Plans");
        if (children != null) {
            for (JsonValue child : children) {
                collect(child.asJsonObject(), found);
            }
        }
    }
}
