package app.lockin.profiles;

import static app.lockin.testing.Problems.assertProblem;
import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.Focus;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.Sql;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/**
 * {@code GET /api/me/export} (DOMAIN.md "A person's data"): everything LockIN
 * holds about the caller, every row that names them, and nothing of anyone
 * else's.
 */
@LockinServer
class ExportIT {

    private static final Sql SQL = TestEnvironment.sql();

    private static final List<String> SECTIONS = List.of("profile", "identities", "memberships", "sessions", "time_logs",
            "notifications", "invites_sent", "join_links", "voids_made", "requests", "devices", "notification_settings",
            "deliveries", "presence_pushes", "webhooks_created");

    /** A daily group whose goal is one minute, begun yesterday in a zone where recent times fall today. */
    private static String smallGoalGroup(User owner) {
        Reply created = owner.api().post("/api/groups", "{\"name\": \"Export " + UUID.randomUUID().toString().substring(0, 6)
                + "\", \"start_at\": \"" + Instant.now().minus(Duration.ofDays(1)) + "\", \"end_at\": \""
                + Instant.now().plus(Duration.ofDays(10)) + "\", \"timezone\": \"" + Fixtures.zoneAwayFromMidnight().getId()
                + "\", \"period\": \"daily\", \"period_target_minutes\": 1}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().getString("id");
    }

    private static JsonObject created(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private static JsonObject export(User user) {
        Reply export = user.api().get("/api/me/export");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/json");
        assertThat(export.header("Content-Disposition")).hasValue(
                "attachment; filename=\"lockin-export-" + LocalDate.now(ZoneOffset.UTC) + ".json\"");
        JsonObject data = export.json();
        assertThat(List.copyOf(data.keySet())).containsExactlyElementsOf(SECTIONS);
        return data;
    }

    private static List<JsonObject> section(JsonObject data, String name) {
        return data.getJsonArray(name).getValuesAs(JsonObject.class);
    }

    private static List<String> ids(List<JsonObject> items) {
        return items.stream().map(i -> i.getString("id")).toList();
    }

    @Test
    void holdsEverythingOfTheCallerAndNothingOfAnother() throws Exception {
        User me = User.random();
        User other = User.random();
        User friend = User.random();
        String myId = Fixtures.profileOf(me);
        String otherId = Fixtures.profileOf(other);
        String friendId = Fixtures.profileOf(friend);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        // the other's own things, which must not show (a past device time first: its segment is open until it pauses)
        String othersSession = Focus.pausedSince(other, null, t0.minusSeconds(1200));
        JsonObject othersLog = Focus.log(other, othersSession, t0.minusSeconds(1190), t0.minusSeconds(1150));

        // my group, with the other as a member and a target of my own
        String group = smallGoalGroup(me);
        Fixtures.member(me, group, other, "member");
        Reply override = me.api().patch("/api/groups/" + group + "/members/" + myId, "{\"override_period_target_minutes\": 1}");
        assertThat(override.status()).as(override.toString()).isEqualTo(200);

        // a group I joined by link, had a target and focused in, and left: my past there stays
        String pastGroup = smallGoalGroup(other);
        JsonObject pastLink = created(other.api().post("/api/groups/" + pastGroup + "/links", null));
        created(me.api().post("/api/links/" + pastLink.getString("code") + ":join", null));
        Reply pastTarget = other.api().patch("/api/groups/" + pastGroup + "/members/" + myId, "{\"override_period_target_minutes\": 5}");
        assertThat(pastTarget.status()).as(pastTarget.toString()).isEqualTo(200);
        String pastSession = Focus.session(me, pastGroup);
        Focus.ok(Focus.act(me, pastSession, "start"));
        Focus.ok(Focus.act(me, pastSession, "stop"));
        Reply left = me.api().delete("/api/groups/" + pastGroup + "/members/" + myId);
        assertThat(left.status()).as(left.toString()).isEqualTo(204);

        // my session in my group: a clocked segment and a log by hand, both after I joined
        String session = Focus.session(me, group);
        Focus.ok(Focus.act(me, session, "start"));
        Focus.ok(Focus.act(me, session, "pause"));
        Instant afterClock = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        // the log must not end in the future: wait until its end has passed
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(afterClock.plusSeconds(1)));
        JsonObject log = Focus.log(me, session, afterClock, afterClock.plusSeconds(1));
        Focus.ok(Focus.act(me, session, "stop"));

        // my milestone, in my inbox and in the other's (as the database writes them, R__11_milestones.sql)
        Object periodStart = SQL.value("select period_start from member_period_totals where group_id = ?::uuid and user_id = ?::uuid",
                group, myId);
        for (String recipient : List.of(myId, otherId)) {
            SQL.update("insert into notifications (recipient_id, kind, title, body, group_id, subject_id, period_start) "
                    + "values (?::uuid, 'milestone_member', 'Me reached the goal', 'Me focused 1 minutes.', ?::uuid, ?::uuid, ?)",
                    recipient, group, myId, periodStart);
        }

        // the other's session, which I join and leave
        String joined = Focus.session(other, group);
        Focus.ok(Focus.act(other, joined, "start"));
        Focus.ok(me.api().post("/api/sessions/" + joined + ":join", null));
        Focus.ok(me.api().post("/api/sessions/" + joined + ":leave", null));
        Focus.ok(Focus.act(other, joined, "stop"));

        // invites I sent (to an account, to an address without one), and one I received
        JsonObject inviteToFriend = created(me.api().post("/api/groups/" + group + ":invite",
                "{\"recipient_id\": \"" + friendId + "\"}"));
        String address = "nobody-" + UUID.randomUUID() + "@example.org";
        JsonObject inviteByEmail = created(me.api().post("/api/groups/" + group + ":invite", "{\"email\": \"" + address + "\"}"));
        String othersGroup = Fixtures.group(other).getString("id");
        JsonObject inviteToMe = created(other.api().post("/api/groups/" + othersGroup + ":invite",
                "{\"recipient_id\": \"" + myId + "\"}"));

        // a join link I made
        JsonObject link = created(me.api().post("/api/groups/" + group + "/links", null));

        // a request with an Idempotency-Key
        String key = "export-" + UUID.randomUUID();
        JsonObject keyed = created(me.api().withHeader("Idempotency-Key", key).post("/api/sessions", "{}"));
        String othersKey = "export-other-" + UUID.randomUUID();
        created(other.api().withHeader("Idempotency-Key", othersKey).post("/api/sessions", "{}"));

        JsonObject data = export(me);
        String text = data.toString();

        JsonObject profile = data.getJsonObject("profile");
        assertThat(profile.getString("id")).isEqualTo(myId);
        assertThat(profile.getString("display_name")).isEqualTo(me.username());
        assertThat(profile.getJsonArray("rate_limits").getValuesAs(JsonObject.class))
                .as("the fair-use bucket of my writes").anySatisfy(b -> assertThat(b.getString("key")).startsWith("writes/").endsWith("/" + myId));

        assertThat(section(data, "identities")).singleElement().satisfies(i -> {
            assertThat(i.getString("provider")).isEqualTo("cognito");
            assertThat(i.getString("subject")).isEqualTo(me.subject());
        });

        List<JsonObject> memberships = section(data, "memberships");
        assertThat(memberships).extracting(m -> m.getString("group_id")).containsExactlyInAnyOrder(group, pastGroup);
        JsonObject mine = memberships.stream().filter(m -> m.getString("group_id").equals(group)).findFirst().orElseThrow();
        assertThat(mine.getString("role")).isEqualTo("owner");
        assertThat(mine.getBoolean("hidden_from_leaderboard")).isFalse();
        assertThat(mine.getInt("override_period_target_minutes")).isEqualTo(1);
        assertThat(mine.getJsonArray("target_overrides").getValuesAs(JsonObject.class))
                .anySatisfy(t -> assertThat(t.getInt("target_minutes")).isEqualTo(1));
        assertThat(mine.getJsonArray("period_totals").getValuesAs(JsonObject.class)).singleElement().satisfies(p -> {
            assertThat(p.getString("period_start")).isEqualTo(((java.sql.Timestamp) periodStart).toInstant().toString());
            assertThat(p.getJsonNumber("seconds").doubleValue()).isGreaterThanOrEqualTo(1);
        });
        JsonObject past = memberships.stream().filter(m -> m.getString("group_id").equals(pastGroup)).findFirst().orElseThrow();
        assertThat(past.isNull("role")).as("no longer a member").isTrue();
        assertThat(past.isNull("joined_at")).isTrue();
        assertThat(past.getJsonArray("target_overrides").getValuesAs(JsonObject.class)).as("the past stays")
                .extracting(t -> t.isNull("target_minutes") ? null : t.getInt("target_minutes")).containsExactly(5, null);
        assertThat(past.getJsonArray("period_totals")).as("the past stays").isNotEmpty();
        assertThat(past.getJsonArray("past_memberships")).as("when they were in it").hasSize(1);

        List<JsonObject> sessions = section(data, "sessions");
        assertThat(ids(sessions)).containsExactlyInAnyOrder(session, joined, keyed.getString("id"), pastSession);
        assertThat(sessions).filteredOn(s -> s.getString("id").equals(joined)).singleElement().satisfies(s -> {
            assertThat(s.getString("role")).isEqualTo("participant");
            assertThat(s.getString("creator_id")).isEqualTo(otherId);
            assertThat(s.isNull("left_at")).isFalse();
        });
        assertThat(sessions).filteredOn(s -> s.getString("id").equals(session)).singleElement()
                .satisfies(s -> assertThat(s.getString("role")).isEqualTo("host"));

        List<JsonObject> logs = section(data, "time_logs");
        assertThat(ids(logs)).contains(log.getString("id")).doesNotContain(othersLog.getString("id"));
        assertThat(logs).extracting(l -> l.getString("session_id")).as("clocked and by hand, in each of my sessions with time")
                .contains(session, joined, pastSession);
        assertThat(logs).filteredOn(l -> l.getString("id").equals(log.getString("id"))).singleElement().satisfies(l -> {
            assertThat(l.getString("session_id")).isEqualTo(session);
            assertThat(l.getString("group_id")).isEqualTo(group);
            assertThat(l.getInt("duration_seconds")).isEqualTo(1);
            assertThat(l.getString("source")).isEqualTo("manual");
            assertThat(l.getString("started_at")).isEqualTo(afterClock.toString());
        });

        List<JsonObject> notifications = section(data, "notifications");
        assertThat(notifications).filteredOn(n -> n.getBoolean("received")).anySatisfy(n -> {
            assertThat(n.getString("id")).isEqualTo(inviteToMe.getString("id"));
            assertThat(n.getString("kind")).isEqualTo("group_invite");
            assertThat(n.getString("actor_id")).isEqualTo(otherId);
            assertThat(n.getString("status")).isEqualTo("pending");
        }).anySatisfy(n -> {
            assertThat(n.getString("kind")).isEqualTo("milestone_member");
            assertThat(n.getString("subject_id")).isEqualTo(myId);
        });
        assertThat(notifications).as("my milestone in the other's inbox, without their reading of it")
                .filteredOn(n -> !n.getBoolean("received")).singleElement().satisfies(n -> {
                    assertThat(n.getString("kind")).isEqualTo("milestone_member");
                    assertThat(n.getString("subject_id")).isEqualTo(myId);
                    assertThat(n.isNull("status")).isTrue();
                    assertThat(n.isNull("read_at")).isTrue();
                    assertThat(n.keySet()).doesNotContain("recipient_id");
                });

        List<JsonObject> invites = section(data, "invites_sent");
        assertThat(ids(invites)).containsExactlyInAnyOrder(inviteToFriend.getString("id"), inviteByEmail.getString("id"));
        assertThat(invites).as("alike, whether or not the address has an account")
                .allSatisfy(i -> assertThat(i.keySet()).containsExactly("id", "group_id", "group_name", "title", "body", "created_at"));
        assertThat(text).as("whom I invited is theirs").doesNotContain(friendId, address);

        assertThat(section(data, "join_links")).singleElement().satisfies(l -> {
            assertThat(l.getString("id")).isEqualTo(link.getString("id"));
            assertThat(l.getString("group_id")).isEqualTo(group);
            assertThat(l.keySet()).doesNotContain("code");
        });
        assertThat(text).as("no way back into a group").doesNotContain(link.getString("code"), pastLink.getString("code"));

        assertThat(section(data, "requests")).singleElement().satisfies(r -> {
            assertThat(r.getString("key")).isEqualTo(key);
            assertThat(r.getString("request_sha256")).matches("[0-9a-f]{64}");
            assertThat(r.isNull("completed_at")).isFalse();
            assertThat(r.keySet()).containsExactly("key", "request_sha256", "created_at", "completed_at");
        });
        assertThat(SQL.value("select encode(request_hash, 'hex') from idempotency_keys where caller_id = ?::uuid and key = ?", myId, key))
                .isEqualTo(section(data, "requests").get(0).getString("request_sha256"));

        // nothing of the other's own: their sign-in, their private session and log, their key
        assertThat(text).doesNotContain(other.subject(), othersSession, othersLog.getString("id"), othersKey);
        // the other's id only where it names them in something of mine
        assertThat(fieldsHolding(data, otherId)).isSubsetOf(Set.of("actor_id", "creator_id"));

        // every row that names me, in the tables the test wrote to, is in its section
        assertThat(logs).hasSize((int) SQL.count("select count(*) from time_logs where user_id = ?::uuid", myId));
        assertThat(sessions).hasSize((int) SQL.count("select count(*) from sessions s where s.creator_id = ?::uuid "
                + "or exists (select 1 from session_participants p where p.session_id = s.id and p.user_id = ?::uuid)", myId, myId));
        assertThat(notifications).hasSize((int) SQL.count("select count(*) from notifications where recipient_id = ?::uuid "
                + "or (subject_id = ?::uuid) or (actor_id = ?::uuid and kind <> 'group_invite')", myId, myId, myId));
        assertThat(invites).hasSize((int) (SQL.count("select count(*) from notifications where actor_id = ?::uuid and kind = 'group_invite'", myId)
                + SQL.count("select count(*) from email_invites where actor_id = ?::uuid", myId)));
        assertThat(mine.getJsonArray("period_totals")).hasSize((int) SQL.count(
                "select count(*) from member_period_totals where user_id = ?::uuid and group_id = ?::uuid", myId, group));
        assertThat(mine.getJsonArray("target_overrides")).hasSize((int) SQL.count(
                "select count(*) from target_history where user_id = ?::uuid and group_id = ?::uuid", myId, group));
    }

    /**
     * The export reads every table by the person's id (and erasure reaches
     * the same rows through the foreign keys): each column that names a
     * person is the first of an index, so no export scans a whole table
     * (V7__export_indexes.sql added those that were missing). The key of a
     * fair-use bucket ends with the caller's id: its last part is indexed.
     */
    @Test
    void everyColumnThatNamesAPersonLeadsAnIndex() throws SQLException {
        List<String> unindexed = new ArrayList<>();
        for (Map<String, Object> row : SQL.rows("""
                with person_columns (tab, col) as (
                    select c.conrelid, a.attnum
                      from pg_constraint c
                      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
                     where c.contype = 'f' and c.confrelid = 'profiles'::regclass
                    union
                    select a.attrelid, a.attnum
                      from pg_attribute a
                     where (a.attrelid, a.attname) in (('time_logs'::regclass, 'user_id'), ('period_boards'::regclass, 'user_ids')))
                select tab::regclass::text || '.' || attname as col
                  from person_columns
                  join pg_attribute on attrelid = tab and attnum = col
                 where not exists (select 1 from pg_index i where i.indrelid = tab and i.indkey[0] = col)
                 order by 1
                """)) {
            unindexed.add((String) row.get("col"));
        }
        assertThat(unindexed).as("columns naming a person that lead no index").isEmpty();
        assertThat(SQL.count("""
                select count(*) from pg_indexes
                 where tablename = 'fair_use_buckets' and indexdef like '%split_part(id, ''/''::text, 4)%'
                """)).as("the index on a bucket key's caller").isEqualTo(1);
    }

    /**
     * A void is the moderator's act as much as the log's person's record: the
     * owner who voided a member's log finds it in {@code voids_made} (which
     * log, where, when and why; not whose), and the member in their own
     * {@code time_logs} with {@code voided_by}.
     */
    @Test
    void aModeratorsVoidIsInTheirFileAndTheLogInItsPersons() throws Exception {
        Crew crew = Fixtures.crewSinceYesterday();
        String memberId = Fixtures.profileOf(crew.member());
        String ownerId = Fixtures.profileOf(crew.owner());
        Instant now = Instant.now();
        String session = Focus.pausedSince(crew.member(), crew.groupId(), now.minusSeconds(600));
        String log = Focus.log(crew.member(), session, now.minusSeconds(500), now.minusSeconds(200)).getString("id");
        Reply voided = crew.owner().api().post("/api/sessions/" + session + "/logs/" + log + ":void",
                "{\"reason\": \"Phone left on the desk\"}");
        assertThat(voided.status()).as(voided.toString()).isEqualTo(200);

        List<JsonObject> voids = section(export(crew.owner()), "voids_made");
        assertThat(voids).singleElement().satisfies(v -> {
            assertThat(v.getString("id")).isEqualTo(log);
            assertThat(v.getString("session_id")).isEqualTo(session);
            assertThat(v.getString("group_id")).isEqualTo(crew.groupId());
            assertThat(v.getString("void_reason")).isEqualTo("Phone left on the desk");
            assertThat(v.isNull("voided_at")).isFalse();
            assertThat(v.keySet()).containsExactly("id", "session_id", "group_id", "group_name", "voided_at", "void_reason");
        });
        assertThat(voids.toString()).as("whose log it was is the member's").doesNotContain(memberId);
        assertThat(voids).hasSize((int) SQL.count("select count(*) from time_logs where voided_by = ?::uuid", ownerId));

        JsonObject members = export(crew.member());
        assertThat(section(members, "voids_made")).isEmpty();
        assertThat(section(members, "time_logs")).filteredOn(l -> l.getString("id").equals(log)).singleElement()
                .satisfies(l -> assertThat(l.getString("voided_by")).isEqualTo(ownerId));

        // restored, it is no longer the moderator's act: gone from their file
        Reply restored = crew.owner().api().post("/api/sessions/" + session + "/logs/" + log + ":unvoid", null);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(section(export(crew.owner()), "voids_made")).isEmpty();
    }

    /** The names of the fields, anywhere in the document, whose value is exactly this string. */
    private static Set<String> fieldsHolding(JsonValue value, String wanted) {
        Set<String> found = new TreeSet<>();
        if (value instanceof JsonObject object) {
            for (Map.Entry<String, JsonValue> field : object.entrySet()) {
                if (field.getValue() instanceof JsonString s && s.getString().equals(wanted)) {
                    found.add(field.getKey());
                }
                found.addAll(fieldsHolding(field.getValue(), wanted));
            }
        } else if (value instanceof JsonArray array) {
            array.forEach(item -> found.addAll(fieldsHolding(item, wanted)));
        }
        return found;
    }

    @Test
    void aNewcomersExportHoldsTheirProfileAndIdentityOnly() {
        User newcomer = User.random();
        JsonObject data = export(newcomer);
        assertThat(data.getJsonObject("profile").getString("id")).isEqualTo(Fixtures.profileOf(newcomer));
        assertThat(section(data, "identities")).hasSize(1);
        for (String name : SECTIONS.subList(2, SECTIONS.size())) {
            if (!name.equals("notification_settings")) {
                assertThat(data.getJsonArray(name)).as(name).isEmpty();
            }
        }
        // the settings in force: the defaults
        assertThat(data.getJsonObject("notification_settings").getBoolean("push_group_invite")).isTrue();
        assertThat(data.getJsonObject("notification_settings").getBoolean("push_presence")).isFalse();
        assertThat(data.getJsonObject("notification_settings").isNull("quiet_hours_from")).isTrue();
    }

    @Test
    void thePushesToTheirPhonesAreInIt() {
        User owner = User.random();
        User invited = User.random();
        String groupId = Fixtures.group(owner).getString("id");
        Fixtures.device(invited, "fcm", "export-" + UUID.randomUUID(), null);
        Fixtures.invite(owner, groupId, invited);

        List<JsonObject> deliveries = section(export(invited), "deliveries");
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0).getString("channel")).isEqualTo("fcm");
        assertThat(deliveries.get(0).getString("event")).isEqualTo("group_invite");
        assertThat(deliveries.get(0).isNull("group_id")).isTrue();
        assertThat(section(export(owner), "deliveries")).isEmpty();
    }

    @Test
    void onlyWithAToken() {
        assertRefused(Api.anonymous().get("/api/me/export"));
        assertRefused(Api.withToken("not-a-token").get("/api/me/export"));
        assertProblem(User.random().api().get("/api/me/export", "text/csv"), 406);
    }

    /**
     * Every column that names a person (references profiles, or holds a
     * profile's id without a reference) is one the export reads
     * (PersonalData): a new one fails here until the export has it.
     */
    @Test
    void everyColumnThatNamesAPersonIsExported() throws SQLException {
        List<String> references = new ArrayList<>();
        for (Map<String, Object> row : SQL.rows("""
                select c.conrelid::regclass::text || '.' || a.attname as col
                  from pg_constraint c
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
                 where c.contype = 'f' and c.confrelid = 'profiles'::regclass
                 order by 1
                """)) {
            references.add((String) row.get("col"));
        }
        assertThat(references).as("columns referencing profiles: add a new one to PersonalData's sections and here")
                .containsExactlyInAnyOrder("auth_identities.profile_id", "groups.owner_id", "group_members.user_id",
                        "target_history.user_id", "join_links.created_by", "email_invites.actor_id", "sessions.creator_id",
                        "session_participants.user_id", "member_period_totals.user_id", "notifications.recipient_id",
                        "notifications.actor_id", "notifications.subject_id", "goal_checks.user_id",
                        "idempotency_keys.caller_id", "former_members.user_id",
                        "devices.user_id", "notification_settings.user_id",
                        "outbox.subject_id", "presence_pushes.user_id", "webhooks.created_by",
                        // the moderator of a voided log: in the log's own person's file (time_logs) and in theirs (voids_made)
                        "time_logs.voided_by");
        // and those that hold a profile's id without referencing profiles (exported too)
        assertThat(SQL.count("""
                select count(*) from information_schema.columns
                 where table_schema = 'public'
                   and (table_name, column_name) in (('time_logs', 'user_id'), ('period_boards', 'user_ids'), ('fair_use_buckets', 'id'))
                """)).isEqualTo(3);
    }
}
