package app.lockin.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import app.lockin.testing.MigratedDatabase;
import app.lockin.testing.Sql;

/**
 * The outbox's rules in the database alone (R__19_outbox.sql), where no
 * dispatcher takes the items first: the claims of two instances never share
 * an item; a webhook's items go one at a time, in order; a failure waits an
 * exponential back-off with jitter, and an item 24 hours old dies; the
 * result of an attempt another instance took over changes nothing; gone
 * devices go; a webhook failing for 24 hours is turned off and its owner
 * told; a period summary is written once, with the board members see.
 */
@ExtendWith(MigratedDatabase.class)
class OutboxRulesIT {

    private final Sql sql;

    OutboxRulesIT(Sql sql) {
        this.sql = sql;
    }

    /** Items left pending by an earlier test of this class are out of the way (no dispatcher runs here). */
    @BeforeEach
    void nothingPending() throws SQLException {
        sql.update("update outbox set status = 'dead', ended_at = now(), leased_until = null where status = 'pending'");
    }

    private record Crew(UUID owner, UUID member, UUID group) {
    }

    private Crew crew(String timezone, Instant start) throws SQLException {
        Crew crew = new Crew(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        sql.update("insert into profiles (id, display_name) values (?, 'Owner'), (?, 'Mia')", crew.owner(), crew.member());
        // one statement, one transaction: a group has its owner at every commit
        sql.update("""
                with g as (
                    insert into groups (id, owner_id, name, start_at, end_at, timezone, period, period_target_minutes)
                    values (?, ?, 'Finals Week', ?, now() + interval '10 days', ?, 'daily', 60)
                    returning id, start_at)
                insert into group_members (group_id, user_id, role, created_at)
                select g.id, ?, 'owner'::member_role, g.start_at from g union all select g.id, ?, 'member'::member_role, g.start_at from g""",
                crew.group(), crew.owner(), Sql.ts(start), timezone, crew.owner(), crew.member());
        return crew;
    }

    private Crew crew() throws SQLException {
        return crew("UTC", Instant.now().minus(Duration.ofDays(3)));
    }

    private UUID webhook(UUID group, String events) throws SQLException {
        UUID id = UUID.randomUUID();
        sql.update("insert into webhooks (id, group_id, url, events, secret) values (?, ?, 'https://hooks.example.com/x', "
                + "string_to_array(?, ','), 'whsec_dGVzdA==')", id, group, events);
        return id;
    }

    private UUID device(UUID person) throws SQLException {
        UUID id = UUID.randomUUID();
        sql.update("insert into devices (id, user_id, platform, token) values (?, ?, 'apns', ?)",
                id, person, "token-" + id);
        return id;
    }

    /** A push of a notification to every device of the person (the trigger writes the items). */
    private void notify(UUID person) throws SQLException {
        sql.update("insert into notifications (recipient_id, kind, title) values (?, 'generic', 'Hello')", person);
    }

    private List<UUID> itemsOf(UUID device) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        for (Map<String, Object> row : sql.rows("select id from outbox where device_id = ? order by seq", device)) {
            ids.add((UUID) row.get("id"));
        }
        return ids;
    }

    private static List<UUID> claim(Connection c, int limit) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "select id from outbox_claim(" + limit + ", interval '60 seconds', 'test')")) {
            while (r.next()) {
                ids.add((UUID) r.getObject(1));
            }
        }
        return ids;
    }

    private List<UUID> claim(int limit) throws SQLException {
        try (Connection c = sql.connect()) {
            return claim(c, limit);
        }
    }

    private void finish(UUID item, int attempt, String outcome, Integer status) throws SQLException {
        sql.value("select outbox_finish(jsonb_build_array(jsonb_strip_nulls(jsonb_build_object("
                + "'id', ?::text, 'attempt', ?, 'outcome', ?::text, 'status_code', ?::int, 'error', 'test'))), interval '10 seconds')",
                item.toString(), attempt, outcome, status);
    }

    private Map<String, Object> item(UUID id) throws SQLException {
        return sql.rows("select status, attempts, next_attempt_at, ended_at, last_status_code, created_at from outbox where id = ?",
                id).get(0);
    }

    @Test
    void twoInstancesClaimingAtOnceNeverTakeTheSameItem() throws SQLException {
        Crew crew = crew();
        UUID phone = device(crew.member());
        for (int i = 0; i < 10; i++) {
            notify(crew.member());
        }
        try (Connection first = sql.connect(); Connection second = sql.connect()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            List<UUID> mine = claim(first, 6);
            // the first has not committed: its rows are locked, and skipped
            List<UUID> theirs = claim(second, 10);
            assertThat(mine).hasSize(6);
            assertThat(theirs).hasSize(4).doesNotContainAnyElementsOf(mine);
            first.commit();
            second.commit();
        }
        assertThat(claim(10)).as("all leased").isEmpty();
        assertThat(itemsOf(phone)).hasSize(10);
    }

    @Test
    void aWebhooksItemsGoOneAtATimeInTheOrderTheyWereWritten() throws SQLException {
        Crew crew = crew();
        UUID hook = webhook(crew.group(), "member_joined,member_left");
        UUID joiner = UUID.randomUUID();
        sql.update("insert into profiles (id, display_name) values (?, 'Noa')", joiner);
        sql.update("insert into group_members (group_id, user_id) values (?, ?)", crew.group(), joiner);
        sql.update("delete from group_members where group_id = ? and user_id = ?", crew.group(), joiner);
        sql.update("insert into group_members (group_id, user_id) values (?, ?)", crew.group(), joiner);
        List<Map<String, Object>> written = sql.rows("select id, event from outbox where webhook_id = ? order by seq", hook);
        assertThat(written).extracting(r -> r.get("event")).containsExactly("member_joined", "member_left", "member_joined");

        List<UUID> first = claim(10);
        assertThat(first).containsExactly((UUID) written.get(0).get("id"));
        assertThat(claim(10)).as("the next waits while the first is out").isEmpty();
        finish(first.get(0), 1, "failed", 503);
        // failed: it stays first, and the next still waits
        sql.update("update outbox set next_attempt_at = now() where id = ?", first.get(0));
        assertThat(claim(10)).containsExactly(first.get(0));
        finish(first.get(0), 2, "delivered", 200);
        assertThat(claim(10)).containsExactly((UUID) written.get(1).get("id"));
    }

    @Test
    void aFailureWaitsLongerEachTimeWithJitterAndAnItemADayOldDies() throws SQLException {
        Crew crew = crew();
        UUID phone = device(crew.member());
        notify(crew.member());
        UUID id = itemsOf(phone).get(0);
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(claim(10)).containsExactly(id);
            Instant before = Instant.now();
            finish(id, attempt, "failed", 500);
            Map<String, Object> row = item(id);
            assertThat(row.get("status")).isEqualTo("pending");
            assertThat(row.get("last_status_code")).isEqualTo(500);
            // 10 s × 2^(attempt-1), between half and all of it
            long full = 10_000L << (attempt - 1);
            Instant next = ((Timestamp) row.get("next_attempt_at")).toInstant();
            assertThat(next).isBetween(before.plusMillis(full / 2 - 1_000), before.plusMillis(full + 1_000));
            sql.update("update outbox set next_attempt_at = now() where id = ?", id);
        }
        sql.update("update outbox set created_at = now() - interval '24 hours 1 minute' where id = ?", id);
        assertThat(claim(10)).containsExactly(id);
        finish(id, 4, "failed", 500);
        Map<String, Object> dead = item(id);
        assertThat(dead.get("status")).isEqualTo("dead");
        assertThat(dead.get("ended_at")).isNotNull();
        assertThat(dead.get("attempts")).isEqualTo(4);
        assertThat(claim(10)).isEmpty();
    }

    @Test
    void theResultOfAnAttemptAnotherInstanceTookOverChangesNothing() throws SQLException {
        Crew crew = crew();
        UUID phone = device(crew.member());
        notify(crew.member());
        UUID id = itemsOf(phone).get(0);
        assertThat(claim(10)).containsExactly(id);
        // the first instance went quiet: its lease runs out and another claims the item
        sql.update("update outbox set leased_until = now() - interval '1 second' where id = ?", id);
        assertThat(claim(10)).containsExactly(id);
        finish(id, 1, "failed", 500);
        assertThat(item(id).get("status")).isEqualTo("pending");
        assertThat(item(id).get("last_status_code")).isNull();
        finish(id, 2, "delivered", 200);
        assertThat(item(id).get("status")).isEqualTo("delivered");
        assertThat(item(id).get("attempts")).isEqualTo(2);
    }

    @Test
    void aGoneTokenRemovesItsDeviceAndARefusalIsDeadAtOnce() throws SQLException {
        Crew crew = crew();
        UUID gone = device(crew.member());
        UUID other = device(crew.member());
        notify(crew.member());
        UUID toGone = itemsOf(gone).get(0);
        UUID toOther = itemsOf(other).get(0);
        assertThat(claim(10)).containsExactlyInAnyOrder(toGone, toOther);
        finish(toGone, 1, "gone", 410);
        finish(toOther, 1, "refused", 400);
        assertThat(sql.count("select count(*) from devices where id = ?", gone)).isZero();
        assertThat(item(toOther).get("status")).isEqualTo("dead");
        assertThat(sql.count("select count(*) from devices where id = ?", other)).isOne();
    }

    @Test
    void aWebhookFailingForADayIsTurnedOffAndItsOwnerToldAndItsItemsWait() throws SQLException {
        Crew crew = crew();
        UUID hook = webhook(crew.group(), "member_joined");
        UUID ownerPhone = device(crew.owner());
        sql.value("select webhook_event(?, 'member_joined', '{}'::jsonb, null)", crew.group());
        sql.value("select webhook_event(?, 'member_joined', '{}'::jsonb, null)", crew.group());
        UUID first = claim(10).get(0);
        finish(first, 1, "failed", 500);
        assertThat(sql.value("select enabled from webhooks where id = ?", hook)).isEqualTo(true);
        assertThat(sql.value("select failing_since is not null from webhooks where id = ?", hook)).isEqualTo(true);

        sql.update("update webhooks set failing_since = now() - interval '24 hours 1 minute' where id = ?", hook);
        sql.update("update outbox set next_attempt_at = now() where id = ?", first);
        assertThat(claim(10)).containsExactly(first);
        finish(first, 2, "failed", 500);

        assertThat(sql.value("select enabled from webhooks where id = ?", hook)).isEqualTo(false);
        assertThat(sql.value("select disabled_at is not null from webhooks where id = ?", hook)).isEqualTo(true);
        assertThat(sql.rows("select kind::text, title from notifications where recipient_id = ?", crew.owner()))
                .extracting(r -> r.get("kind")).containsExactly("webhook_disabled");
        // the owner's phone hears it; the webhook's items wait, kept
        sql.update("update outbox set next_attempt_at = now() where id = ?", first);
        assertThat(claim(10)).containsExactlyElementsOf(itemsOf(ownerPhone));
        assertThat(sql.count("select count(*) from outbox where webhook_id = ? and status = 'pending'", hook)).isEqualTo(2);
    }

    @Test
    void aClosedPeriodIsSummarisedOnceWithTheBoardMembersSee() throws SQLException {
        Crew crew = crew("UTC", Instant.now().minus(Duration.ofDays(3)));
        UUID hider = UUID.randomUUID();
        sql.update("insert into profiles (id, display_name) values (?, 'Hidden Hal')", hider);
        sql.update("insert into group_members (group_id, user_id, hidden_from_leaderboard, created_at) "
                + "values (?, ?, true, now() - interval '3 days')", crew.group(), hider);
        UUID hook = webhook(crew.group(), "period_closed");
        sql.update("update webhooks set created_at = now() - interval '2 days' where id = ?", hook);
        // yesterday (UTC): Mia focused 90 minutes, Hal 30
        for (Object[] who : new Object[][] {{crew.member(), 90}, {hider, 30}}) {
            UUID session = UUID.randomUUID();
            sql.update("insert into sessions (id, group_id, creator_id, status, started_at, ended_at) "
                    + "values (?, ?, ?, 'ended', date_trunc('day', now()) - interval '20 hours', date_trunc('day', now()) - interval '10 hours')",
                    session, crew.group(), who[0]);
            sql.update("insert into session_participants (id, session_id, user_id, role, joined_at) "
                    + "values (?, ?, ?, 'host', date_trunc('day', now()) - interval '20 hours')", session, session, who[0]);
            sql.update("insert into time_logs (participant_id, user_id, started_at, ended_at, source) values (?, ?, "
                    + "date_trunc('day', now()) - interval '20 hours', date_trunc('day', now()) - interval '20 hours' + make_interval(mins => ?), 'clock')",
                    session, who[0], who[1]);
        }

        assertThat(((Number) sql.value("select outbox_period_summaries()")).intValue()).isGreaterThanOrEqualTo(1);
        assertThat(((Number) sql.value("select outbox_period_summaries()")).intValue()).isZero();
        List<Map<String, Object>> summaries = sql.rows("""
                select payload->'data'->>'period_start' as period_start, payload->'data'->'board' as board,
                       payload->>'type' as type
                  from outbox where webhook_id = ?""", hook);
        assertThat(summaries).hasSize(1);
        assertThat(summaries.get(0).get("type")).isEqualTo("period_closed");
        Instant yesterday = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(1));
        assertThat(Instant.parse(((String) summaries.get(0).get("period_start")).replace("+00:00", "Z"))).isEqualTo(yesterday);
        String board = summaries.get(0).get("board").toString();
        assertThat(board).contains("\"Mia\"").contains("5400").contains("\"goal_met\": true").doesNotContain("Hal");
    }

    @Test
    void quietHoursMayWrapPastMidnightInThePersonsZone() throws SQLException {
        UUID person = UUID.randomUUID();
        sql.update("insert into profiles (id, display_name) values (?, 'Sleeper')", person);
        sql.update("insert into notification_settings (user_id, push_group_invite, push_milestone_member, push_milestone_group, "
                + "push_session_autopaused, push_log_voided, push_presence, quiet_hours_from, quiet_hours_to, quiet_hours_timezone) "
                + "values (?, true, true, true, true, true, false, '22:00', '07:00', 'Europe/Paris')", person);
        String end = "select quiet_hours_end(?, ?::timestamptz) at time zone 'Europe/Paris'";
        assertThat(sql.value(end, person, "2026-12-07 23:30 Europe/Paris").toString()).startsWith("2026-12-08 07:00");
        assertThat(sql.value(end, person, "2026-12-08 06:59 Europe/Paris").toString()).startsWith("2026-12-08 07:00");
        assertThat(sql.value(end, person, "2026-12-08 07:00 Europe/Paris")).isNull();
        assertThat(sql.value(end, person, "2026-12-08 12:00 Europe/Paris")).isNull();
        sql.update("update notification_settings set quiet_hours_from = '13:00', quiet_hours_to = '15:00' where user_id = ?", person);
        assertThat(sql.value(end, person, "2026-07-01 14:00 Europe/Paris").toString()).startsWith("2026-07-01 15:00");
        assertThat(sql.value(end, person, "2026-07-01 15:30 Europe/Paris")).isNull();
    }
}
