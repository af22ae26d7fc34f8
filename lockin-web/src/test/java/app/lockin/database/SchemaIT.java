package app.lockin.database;

import static app.lockin.testing.Sql.sqlState;
import static app.lockin.testing.Sql.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Fixtures;
import app.lockin.testing.MigratedDatabase;
import app.lockin.testing.Rows;
import app.lockin.testing.Sql;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rules the database keeps by itself (db/migration), exercised through
 * SQL: whatever writes to it, these hold.
 */
@ExtendWith(MigratedDatabase.class)
class SchemaIT {

    private final Sql sql;
    private final Rows rows;

    SchemaIT(Sql sql) {
        this.sql = sql;
        this.rows = new Rows(sql);
    }

    private static Instant instant(String rfc3339) {
        return OffsetDateTime.parse(rfc3339).toInstant();
    }

    /** Runs the archival until the group has the status. */
    private void awaitStatus(UUID group, String status) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            sql.value("select archived from archive_expired_groups()");
            assertThat(sql.value("select status::text from groups where id = ?", group)).isEqualTo(status);
        });
    }

    // ------------------------------------------------------------ time logs

    /** A periodic job is due by the database's clock, and one caller of all that tick has each due run. */
    @Test
    void eachDueRunOfAJobIsClaimedOnce() throws Exception {
        String job = "test-job-" + UUID.randomUUID();
        ExecutorService instances = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> ticks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ticks.add(instances.submit(() -> sql.value("select claim_due_job(?, interval '1 hour')", job)));
            }
            long claimed = 0;
            for (Future<Object> tick : ticks) {
                claimed += Boolean.TRUE.equals(tick.get()) ? 1 : 0;
            }
            assertThat(claimed).as("claims of a new job's first run").isEqualTo(1);
        } finally {
            instances.shutdown();
        }
        assertThat(sql.value("select claim_due_job(?, interval '1 hour')", job)).as("not due again yet").isNull();
        sql.update("update maintenance_jobs set last_run_at = now() - interval '61 minutes' where job = ?", job);
        assertThat(sql.value("select claim_due_job(?, interval '1 hour')", job)).as("due after its interval").isEqualTo(true);
        sql.update("delete from maintenance_jobs where job = ?", job);
    }

    @Test
    void logsOfOnePersonCannotOverlapAcrossSessions() throws SQLException {
        UUID user = rows.newProfile();
        UUID group = rows.createGroup(user, "Overlap", Instant.now().minus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(5)));
        Instant t0 = Instant.now().minus(Duration.ofHours(10));
        UUID first = rows.hostSession(group, user, t0);
        UUID second = rows.hostSession(group, user, t0);

        rows.log(first, t0, t0.plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> rows.log(second, t0.plus(Duration.ofMinutes(30)), t0.plus(Duration.ofMinutes(90))))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23P01"));
        assertThatThrownBy(() -> rows.log(first, t0.plusSeconds(1), t0.plus(Duration.ofMinutes(10))))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23P01"));

        // touching is not overlapping
        rows.log(second, t0.plus(Duration.ofHours(1)), t0.plus(Duration.ofHours(2)));
        // another person may focus at the same time
        UUID other = rows.newProfile();
        rows.addMember(group, other);
        UUID othersSession = rows.hostSession(group, other, t0);
        rows.log(othersSession, t0, t0.plus(Duration.ofHours(1)));
    }

    @Test
    void logsStayInsideTheSessionAndThePast() throws SQLException {
        UUID user = rows.newProfile();
        UUID group = rows.createGroup(user, "Window", Instant.now().minus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(5)));
        Instant start = Instant.now().minus(Duration.ofHours(3));
        UUID participant = rows.hostSession(group, user, start);

        assertThatThrownBy(() -> rows.log(participant, start.minus(Duration.ofMinutes(5)), start.plus(Duration.ofMinutes(5))))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI422"));
        assertThatThrownBy(() -> rows.log(participant, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofMinutes(5))))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI422"));
        assertThatThrownBy(() -> rows.log(participant, start.plusSeconds(60), start))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));

        // the log's user is its participant's (set by the database)
        rows.log(participant, start, start.plus(Duration.ofMinutes(10)));
        assertThat(sql.value("select user_id from time_logs where participant_id = ?", participant)).isEqualTo(user);
    }

    // ---------------------------------------------------------------- owners

    @Test
    void aGroupNeedsExactlyOneOwner() throws SQLException {
        UUID owner = rows.newProfile();
        UUID other = rows.newProfile();

        // no owner member at commit
        assertThatThrownBy(() -> {
            try (Connection c = sql.connect()) {
                c.setAutoCommit(false);
                Sql.prepare(c, "insert into groups (owner_id, name, end_at, period_target_minutes) values (?, 'No owner', now() + interval '1 day', 30)",
                        owner).executeUpdate();
                c.commit();
            }
        }).satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI409"));

        UUID group = rows.createGroup(owner, "One owner", Instant.now(), Instant.now().plus(Duration.ofDays(3)));
        rows.addMember(group, other);

        // a second owner
        assertThatThrownBy(() -> sql.update("update group_members set role = 'owner' where group_id = ? and user_id = ?", group, other))
                .satisfies(e -> assertThat(sqlState(e)).isIn("23P01", "LI409"));
        // the owner demoted, nobody promoted
        assertThatThrownBy(() -> sql.update("update group_members set role = 'admin' where group_id = ? and user_id = ?", group, owner))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI409"));
        // the owner removed
        assertThatThrownBy(() -> sql.update("delete from group_members where group_id = ? and user_id = ?", group, owner))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI409"));

        // a transfer in one transaction, in either order
        try (Connection c = sql.connect()) {
            c.setAutoCommit(false);
            Sql.prepare(c, "update group_members set role = 'owner' where group_id = ? and user_id = ?", group, other).executeUpdate();
            Sql.prepare(c, "update group_members set role = 'admin' where group_id = ? and user_id = ?", group, owner).executeUpdate();
            c.commit();
        }
        assertThat(sql.value("select owner_id from groups where id = ?", group)).isEqualTo(other);
    }

    // -------------------------------------------------------------- archival

    @Test
    void anArchivedGroupIsFrozen() throws SQLException {
        UUID owner = rows.newProfile();
        UUID late = rows.newProfile();
        UUID group = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        Instant started = Instant.now().minus(Duration.ofDays(2));
        // one transaction, as the application writes it: an expired group is never seen without its session
        try (Connection c = sql.connect()) {
            c.setAutoCommit(false);
            Sql.prepare(c, "insert into groups (id, owner_id, name, start_at, end_at, period_target_minutes) values (?, ?, 'Over', ?, ?, 30)",
                    group, owner, ts(Instant.now().minus(Duration.ofDays(3))), ts(Instant.now().minus(Duration.ofDays(1)))).executeUpdate();
            Sql.prepare(c, "insert into group_members (group_id, user_id, role, created_at) values (?, ?, 'owner', now() - interval '3 days')",
                    group, owner).executeUpdate();
            Sql.prepare(c, "insert into sessions (id, group_id, creator_id, status, started_at, segment_started_at) values (?, ?, ?, 'running', ?, ?)",
                    running, group, owner, ts(started), ts(started)).executeUpdate();
            Sql.prepare(c, "insert into session_participants (session_id, user_id, role, joined_at) values (?, ?, 'host', ?)",
                    running, owner, ts(started)).executeUpdate();
            c.commit();
        }

        UUID link = UUID.randomUUID();
        sql.update("insert into join_links (id, group_id, code, created_by, expires_at) values (?, ?, ?, ?, now() + interval '1 day')",
                link, group, "frozen-" + UUID.randomUUID(), owner);

        // no server runs on this database: the archival runs only when the test calls it
        awaitStatus(group, "archived");
        assertThat(sql.count("select archived from archive_expired_groups()")).as("idempotent").isZero();

        Map<String, Object> session = sql.rows("select status::text as status, ended_at, segment_started_at from sessions where id = ?", running).get(0);
        assertThat(session.get("status")).isEqualTo("ended");
        assertThat(session.get("segment_started_at")).isNull();
        assertThat(sql.count("select count(*) from time_logs l join session_participants p on p.id = l.participant_id "
                + "where p.session_id = ? and l.source = 'clock'", running)).isEqualTo(1);

        assertThatThrownBy(() -> rows.addMember(group, late)).satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI409"));
        assertThatThrownBy(() -> sql.update("update groups set name = 'Renamed' where id = ?", group))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI409"));
        assertThatThrownBy(() -> sql.update("insert into sessions (group_id, creator_id) values (?, ?)", group, owner))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI409"));
        assertThatThrownBy(() -> sql.update("insert into notifications (recipient_id, kind, title, group_id) values (?, 'group_invite', 'Join', ?)",
                late, group)).satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI409"));
        assertThatThrownBy(() -> sql.update("update join_links set uses = uses + 1 where id = ?", link))
                .as("a link of an archived group is gone").satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI410"));
        assertThatThrownBy(() -> sql.update("insert into join_links (group_id, code, expires_at) values (?, ?, now() + interval '1 day')",
                group, "late-" + UUID.randomUUID())).satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI409"));
    }

    /**
     * Who sees whom is one rule (member_shown): a member who hides from the
     * leaderboard is seen by themself, the owner and the admins only; every
     * other member by everyone. The presence flag and the set of viewers a
     * presence goes to follow it.
     */
    @Test
    void aMemberWhoHidesIsSeenByThemselfTheOwnerAndAdminsOnly() throws SQLException {
        UUID owner = rows.newProfile();
        UUID admin = rows.newProfile();
        UUID plain = rows.newProfile();
        UUID hider = rows.newProfile();
        UUID group = rows.createGroup(owner, "Private", Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(9)));
        rows.addMember(group, admin);
        rows.addMember(group, plain);
        rows.addMember(group, hider);
        sql.update("update group_members set role = 'admin' where group_id = ? and user_id = ?", group, admin);
        assertThat(sql.value("select hidden_flag(?, ?)", group, hider)).isEqualTo("");

        sql.update("update group_members set hidden_from_leaderboard = true where group_id = ? and user_id = ?", group, hider);
        String shown = "select member_shown(m, v) from group_members m, group_members v"
                + " where m.group_id = ? and m.user_id = ? and v.group_id = m.group_id and v.user_id = ?";
        assertThat(sql.value(shown, group, hider, hider)).as("themself").isEqualTo(true);
        assertThat(sql.value(shown, group, hider, owner)).as("the owner").isEqualTo(true);
        assertThat(sql.value(shown, group, hider, admin)).as("an admin").isEqualTo(true);
        assertThat(sql.value(shown, group, hider, plain)).as("another plain member").isEqualTo(false);
        assertThat(sql.value(shown, group, plain, hider)).as("one who hides sees the others").isEqualTo(true);
        assertThat(sql.value("select hidden_flag(?, ?)", group, hider)).isEqualTo(" hidden");
        assertThat(sql.value("select hidden_flag(?, ?)", group, plain)).isEqualTo("");
        assertThat(sql.rows("select members_shown(?, ?) as id", group, hider)).extracting(r -> r.get("id"))
                .containsExactlyInAnyOrder(hider, owner, admin);
    }

    /**
     * How refusals read is the schema's: a check constraint's comment names the
     * request field and the rule ("field: must ..."), a unique constraint's or
     * index's says what a duplicate means (a sentence).
     */
    @Test
    void constraintCommentsWordTheirRefusals() throws SQLException {
        List<Map<String, Object>> comments = sql.rows("""
                select c.conname as name, c.contype::text as kind, d.description as text
                  from pg_constraint c
                  join pg_description d on d.objoid = c.oid and d.classoid = 'pg_constraint'::regclass
                 where c.connamespace = 'public'::regnamespace
                union all
                select i.relname, 'i', d.description
                  from pg_class i
                  join pg_description d on d.objoid = i.oid and d.classoid = 'pg_class'::regclass
                 where i.relkind = 'i' and i.relnamespace = 'public'::regnamespace""");
        assertThat(comments).extracting(row -> row.get("name")).contains(
                "groups_target_fits_period", "groups_timezone_valid", "profiles_display_name_length",
                "time_logs_manual_at_most_24h", "email_invites_email_check", "group_members_group_user_key",
                "notifications_one_pending_invite");
        assertThat(comments).allSatisfy(row -> {
            String text = (String) row.get("text");
            if ("c".equals(row.get("kind"))) {
                // the field as the API names it: a nested one by its path (quiet_hours.from)
                assertThat(text).as((String) row.get("name")).matches("[a-z_]+(\\.[a-z_]+)*: (must|is) .+");
            } else {
                assertThat(text).as((String) row.get("name")).matches("[A-Z].+\\.");
            }
        });
    }

    @Test
    void archivalPromotesPendingGroupsWhoseStartHasCome() throws SQLException {
        UUID owner = rows.newProfile();
        UUID group = rows.createGroup(owner, "Soon", Instant.now().plusSeconds(3600), Instant.now().plus(Duration.ofDays(3)));
        assertThat(sql.value("select status::text from groups where id = ?", group)).isEqualTo("pending");
        // its start comes: moved into the past (a pending group may still change)
        sql.update("update groups set start_at = now() - interval '1 minute' where id = ?", group);
        awaitStatus(group, "active");
    }

    @Test
    void cloneCopiesMembersAndMakesTheCallerOwner() throws SQLException {
        UUID owner = rows.newProfile();
        UUID member = rows.newProfile();
        UUID group = rows.createGroup(owner, "Original", Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(6)));
        rows.addMember(group, member);

        UUID copy = (UUID) sql.value("select clone_group(?, ?)", group, member);

        // a plain member's copy has them alone (the application invites the others)
        List<Map<String, Object>> members = sql.rows("select user_id, role::text as role from group_members where group_id = ? order by role", copy);
        assertThat(members).containsExactly(Map.of("user_id", member, "role", "owner"));
        // the owner's copy has everyone, with their roles
        rows.addMember(copy, owner);
        UUID second = (UUID) sql.value("select clone_group(?, ?)", copy, member);
        assertThat(sql.rows("select user_id, role::text as role from group_members where group_id = ? order by role", second))
                .containsExactlyInAnyOrder(Map.of("user_id", member, "role", "owner"), Map.of("user_id", owner, "role", "member"));
        Map<String, Object> cloned = sql.rows("select status::text as status, owner_id, end_at - start_at as length from groups where id = ?", copy).get(0);
        assertThat(cloned.get("status")).isEqualTo("active");
        assertThat(cloned.get("owner_id")).isEqualTo(member);
        assertThatThrownBy(() -> sql.value("select clone_group(?, ?)", group, rows.newProfile()))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("LI404"));
    }

    // ---------------------------------------------------------------- periods

    private Map<String, Object> bounds(String period, String timezone, String start, String end, String at) throws SQLException {
        return sql.rows("select period_start, period_end, extract(epoch from period_end - period_start) / 3600 as hours "
                + "from group_period_bounds(?::group_period, ?, ?::timestamptz, ?::timestamptz, ?::timestamptz)",
                period, timezone, start, end, at).get(0);
    }

    private static Instant at(Object timestamp) {
        return ((Timestamp) timestamp).toInstant();
    }

    private static double hours(Map<String, Object> bounds) {
        return ((Number) bounds.get("hours")).doubleValue();
    }

    @Test
    void dailyPeriodsFollowLocalMidnightAcrossDstChanges() throws SQLException {
        String start = "2026-01-01T00:00:00Z";
        String end = "2026-12-31T00:00:00Z";
        // Los Angeles springs forward on 2026-03-08: a 23-hour day
        Map<String, Object> spring = bounds("daily", "America/Los_Angeles", start, end, "2026-03-08T12:00:00-07:00");
        assertThat(at(spring.get("period_start"))).isEqualTo(instant("2026-03-08T00:00:00-08:00"));
        assertThat(at(spring.get("period_end"))).isEqualTo(instant("2026-03-09T00:00:00-07:00"));
        assertThat(hours(spring)).isEqualTo(23.0);
        // and falls back on 2026-11-01: a 25-hour day
        Map<String, Object> autumn = bounds("daily", "America/Los_Angeles", start, end, "2026-11-01T23:30:00-08:00");
        assertThat(at(autumn.get("period_start"))).isEqualTo(instant("2026-11-01T00:00:00-07:00"));
        assertThat(hours(autumn)).isEqualTo(25.0);
        // Berlin, 2026-03-29
        assertThat(hours(bounds("daily", "Europe/Berlin", start, end, "2026-03-29T10:00:00Z"))).isEqualTo(23.0);
        // zones far from UTC
        assertThat(at(bounds("daily", "Pacific/Kiritimati", start, end, "2026-06-15T09:00:00Z").get("period_start")))
                .isEqualTo(instant("2026-06-15T00:00:00+14:00"));
        assertThat(at(bounds("daily", "Pacific/Kiritimati", start, end, "2026-06-15T11:00:00Z").get("period_start")))
                .isEqualTo(instant("2026-06-16T00:00:00+14:00"));
        assertThat(at(bounds("daily", "Asia/Kolkata", start, end, "2026-06-15T20:00:00Z").get("period_start")))
                .isEqualTo(instant("2026-06-16T00:00:00+05:30"));
    }

    @Test
    void theProgressViewGives23And25HourDaysAtAFixedNow() throws SQLException {
        UUID owner = rows.newProfile();
        UUID group = rows.createGroup(owner, "DST", instant("2026-01-01T00:00:00Z"), instant("2026-12-31T00:00:00Z"),
                "America/Los_Angeles", "daily", 30);
        // a board lists the members who had joined by the period's end
        sql.update("update group_members set created_at = ? where group_id = ?", ts(instant("2026-01-01T00:00:00Z")), group);
        String query = "select period_start, period_end, extract(epoch from period_end - period_start) / 3600 as hours "
                + "from group_member_period_progress_at(?::timestamptz) where group_id = ?";

        Map<String, Object> spring = this.sql.rows(query, "2026-03-08T12:00:00-07:00", group).get(0);
        assertThat(at(spring.get("period_start"))).isEqualTo(instant("2026-03-08T00:00:00-08:00"));
        assertThat(hours(spring)).isEqualTo(23.0);

        Map<String, Object> autumn = this.sql.rows(query, "2026-11-01T12:00:00-08:00", group).get(0);
        assertThat(at(autumn.get("period_start"))).isEqualTo(instant("2026-11-01T00:00:00-07:00"));
        assertThat(hours(autumn)).isEqualTo(25.0);
    }

    @Test
    void weeklyPeriodsStartMondayLocal() throws SQLException {
        Map<String, Object> week = bounds("weekly", "Asia/Kolkata", "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z", "2026-11-24T12:00:00Z");
        assertThat(at(week.get("period_start"))).isEqualTo(instant("2026-11-23T00:00:00+05:30"));
        assertThat(at(week.get("period_end"))).isEqualTo(instant("2026-11-30T00:00:00+05:30"));
        // the week of the autumn DST change in Los Angeles lasts 169 hours
        assertThat(hours(bounds("weekly", "America/Los_Angeles", "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z", "2026-11-01T12:00:00Z")))
                .isEqualTo(169.0);
    }

    @Test
    void periodsAreClampedToTheGroupsStartAndEnd() throws SQLException {
        String start = "2026-06-10T15:00:00Z";
        String end = "2026-06-20T09:00:00Z";
        Map<String, Object> first = bounds("daily", "UTC", start, end, "2026-06-10T18:00:00Z");
        assertThat(at(first.get("period_start"))).isEqualTo(instant(start));
        assertThat(at(first.get("period_end"))).isEqualTo(instant("2026-06-11T00:00:00Z"));
        // before the start: the first period
        assertThat(at(bounds("daily", "UTC", start, end, "2026-06-01T00:00:00Z").get("period_start"))).isEqualTo(instant(start));
        // after the end (not archived yet): the last period, cut at end_at
        Map<String, Object> last = bounds("daily", "UTC", start, end, "2026-06-25T12:00:00Z");
        assertThat(at(last.get("period_start"))).isEqualTo(instant("2026-06-20T00:00:00Z"));
        assertThat(at(last.get("period_end"))).isEqualTo(instant(end));
    }

    @Test
    void progressCountsOnlyTheTimeInsideThePeriod() throws SQLException {
        UUID owner = rows.newProfile();
        UUID member = rows.newProfile();
        Instant groupStart = Instant.now().minus(Duration.ofDays(3));
        UUID group = rows.createGroup(owner, "Progress", groupStart, Instant.now().plus(Duration.ofDays(3)), "UTC", "daily", 30);
        rows.addMember(group, member);
        sql.update("update group_members set override_period_target_minutes = 90 where group_id = ? and user_id = ?", group, member);
        sql.update("update group_members set created_at = ? where group_id = ?", ts(groupStart), group);
        UUID participant = rows.hostSession(group, owner, groupStart);

        // at 2 hours past a midnight: a log from 23:30 to 00:30 counts 30 minutes, one 01:00-01:20 counts 20
        Instant midnight = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        rows.log(participant, midnight.minus(Duration.ofMinutes(30)), midnight.plus(Duration.ofMinutes(30)));
        rows.log(participant, midnight.plus(Duration.ofMinutes(60)), midnight.plus(Duration.ofMinutes(80)));
        Instant now = midnight.plus(Duration.ofHours(2));

        List<Map<String, Object>> rows = sql.rows("select user_id, seconds_done, target_minutes, goal_met, rank, period_start "
                + "from group_member_period_progress_at(?) where group_id = ? order by rank, user_id", ts(now), group);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("user_id", owner).containsEntry("seconds_done", 3000L)
                .containsEntry("target_minutes", 30).containsEntry("goal_met", true).containsEntry("rank", 1L);
        assertThat(at(rows.get(0).get("period_start"))).isEqualTo(midnight);
        // the member's own target was set today: it applies from today's period on, yesterday's keeps the group's
        assertThat(rows.get(1)).containsEntry("user_id", member).containsEntry("seconds_done", 0L)
                .containsEntry("target_minutes", 30).containsEntry("goal_met", false).containsEntry("rank", 2L);
        assertThat(sql.value("select target_minutes from group_member_period_progress_at(now()) where group_id = ? and user_id = ?",
                group, member)).isEqualTo(90);
    }

    // ---------------------------------------------------------- live updates

    /** Messages of one group on the channel lockin_live, waiting at most {@code millis} for the first. */
    private static List<String> messages(Connection listener, UUID group, int millis) throws SQLException {
        List<String> found = new ArrayList<>();
        org.postgresql.PGNotification[] received = listener.unwrap(org.postgresql.PGConnection.class).getNotifications(millis);
        for (org.postgresql.PGNotification n : received == null ? new org.postgresql.PGNotification[0] : received) {
            if (n.getParameter().contains(group.toString())) {
                found.add(n.getParameter());
            }
        }
        return found;
    }

    /** The triggers' messages reach listeners when the transaction commits, never when it rolls back. */
    @Test
    void liveMessagesAreDeliveredOnlyWhenTheirTransactionCommits() throws Exception {
        UUID owner = rows.newProfile();
        UUID group = rows.createGroup(owner, "Live", Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(9)));
        UUID participant = rows.hostSession(group, owner, Instant.now().minus(Duration.ofHours(1)));
        try (Connection listener = sql.connect()) {
            listener.createStatement().execute("listen lockin_live");
            try (Connection writer = sql.connect()) {
                writer.setAutoCommit(false);
                Sql.prepare(writer, "insert into time_logs (participant_id, started_at, ended_at, source) values (?, now() - interval '50 minutes', now() - interval '40 minutes', 'manual')",
                        participant).executeUpdate();
                assertThat(messages(listener, group, 300)).as("before the commit").isEmpty();
                writer.rollback();
                assertThat(messages(listener, group, 300)).as("rolled back").isEmpty();

                Sql.prepare(writer, "insert into time_logs (participant_id, started_at, ended_at, source) values (?, now() - interval '50 minutes', now() - interval '40 minutes', 'manual')",
                        participant).executeUpdate();
                Sql.prepare(writer, "insert into time_logs (participant_id, started_at, ended_at, source) values (?, now() - interval '30 minutes', now() - interval '20 minutes', 'manual')",
                        participant).executeUpdate();
                writer.commit();
            }
            assertThat(messages(listener, group, 2000)).as("one message for the two logs of one transaction")
                    .containsExactly("board " + group);

            UUID member = rows.newProfile();
            rows.addMember(group, member);
            assertThat(messages(listener, group, 2000)).containsExactlyInAnyOrder("board " + group, "member " + group + " " + member + " 1");
        }
    }

    /**
     * A running member's goal check is due when they will cross the goal; a
     * log that brings the crossing forward moves it; when due, the milestones
     * are written once and the check is gone.
     */
    @Test
    void aRunningMembersGoalCheckIsDueAtTheCrossing() throws Exception {
        UUID owner = rows.newProfile();
        UUID member = rows.newProfile();
        UUID group = rows.createGroup(owner, "Goals", Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(9)),
                Fixtures.zoneAwayFromMidnight().getId(), "daily", 60);
        rows.addMember(group, member);
        sql.update("update group_members set override_period_target_minutes = 2 where group_id = ? and user_id = ?", group, member);
        UUID participant = rows.hostSession(group, member, Instant.now().minus(Duration.ofMinutes(30)));
        UUID session = (UUID) sql.value("select session_id from session_participants where id = ?", participant);
        sql.update("insert into time_logs (participant_id, started_at, ended_at, source) "
                + "values (?, now() - interval '10 minutes', now() - interval '9 minutes', 'manual')", participant);
        assertThat(sql.count("select count(*) from goal_checks where group_id = ?", group)).as("not running").isZero();

        sql.update("update sessions set status = 'running', segment_started_at = now(), transitioned_at = now() where id = ?", session);
        Object due = sql.value("select extract(epoch from due_at - now()) from goal_checks where group_id = ? and user_id = ?", group, member);
        assertThat(((Number) due).doubleValue()).as("60 s of 120 left").isBetween(58.0, 61.0);

        sql.update("insert into time_logs (participant_id, started_at, ended_at, source) "
                + "values (?, now() - interval '8 minutes', now() - interval '7 minutes 30 seconds', 'manual')", participant);
        due = sql.value("select extract(epoch from due_at - now()) from goal_checks where group_id = ? and user_id = ?", group, member);
        assertThat(((Number) due).doubleValue()).as("a log brings it forward: 30 s left").isBetween(28.0, 31.0);

        // a target lowered under the time done: the goal is met without a log, the check writes the milestones
        sql.update("update group_members set override_period_target_minutes = 1 where group_id = ? and user_id = ?", group, member);
        assertThat((Boolean) sql.value("select due_at <= now() from goal_checks where group_id = ? and user_id = ?", group, member))
                .as("due now").isTrue();
        sql.value("select process_due_goal_checks()");
        assertThat(sql.count("select count(*) from notifications where kind = 'milestone_member' and group_id = ?", group))
                .as("one for each member").isEqualTo(2);
        assertThat((Boolean) sql.value("select due_at > now() from goal_checks where group_id = ? and user_id = ?", group, member))
                .as("next at the period's end").isTrue();
        sql.value("select process_due_goal_checks()");

        sql.update("update sessions set status = 'paused', segment_started_at = null, transitioned_at = now() where id = ?", session);
        assertThat(sql.count("select count(*) from notifications where kind = 'milestone_member' and group_id = ?", group))
                .as("the pause writes none again").isEqualTo(2);
        assertThat(sql.count("select count(*) from goal_checks where group_id = ?", group)).as("paused: no check").isZero();
    }
}
