package app.lockin.groups;

import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import app.lockin.config.SharedJson;
import app.lockin.database.Row;
import app.lockin.database.Rows;
import app.lockin.notifications.WebhookAddresses;
import app.lockin.notifications.WebhookSignatures;
import app.lockin.rules.Conflict;
import app.lockin.rules.Invalid;
import app.lockin.rules.NotFound;

/**
 * A group's webhooks (DOMAIN.md "Reaching people outside the app", API.md
 * "Push and webhooks"): its owner and admins register, list, change, remove
 * them, rotate their secrets, send a test event and read their deliveries.
 * The database keeps the rest (R__20_webhooks.sql): at most
 * {@link #MAX_PER_GROUP} a group (409), none added or changed in an archived
 * group (409), events and format from their lists (422). The URL is checked
 * here, where a name is resolved, by {@link WebhookAddresses}, which also
 * checks every connection.
 */
@Stateless
public class Webhooks {

    /** How many webhooks a group may have; the database holds it (webhooks_before_insert). */
    public static final int MAX_PER_GROUP = 10;

    /** How many of a webhook's deliveries can be read, newest first. */
    public static final int DELIVERIES_KEPT = 100;

    private static final String WEBHOOK_NOT_FOUND = "webhook not found";

    private static final String COLUMNS = "id, url, events, format, enabled, created_at, failing_since, disabled_at";

    /** The events as the request named them, each once, in their first order (?4, a JSON array of strings). */
    private static final String EVENTS = """
            array(select e from jsonb_array_elements_text(cast(?4 as jsonb)) with ordinality as t(e, n)
                   group by e order by min(n))""";

    private static final String CREATE = "insert into webhooks (id, group_id, url, events, format, secret, created_by) "
            + "values (?1, ?2, cast(?3 as text), " + EVENTS + ", coalesce(cast(?5 as text), 'standard'), cast(?6 as text), ?7) "
            + "returning " + COLUMNS + ", secret, previous_secret_until";

    private static final String UPDATE = "update webhooks w set events = " + EVENTS + ", enabled = ?3, "
            + "disabled_at = case when ?3 then null else coalesce(w.disabled_at, now()) end, "
            + "failing_since = case when ?3 and not w.enabled then null else w.failing_since end "
            + "where w.id = ?1 and w.group_id = ?2 returning " + COLUMNS;

    /** The old secret signs 24 hours more, by the database's clock. */
    private static final String ROTATE = """
            update webhooks set previous_secret = secret, previous_secret_until = now() + interval '24 hours',
                   secret = cast(?3 as text)
             where id = ?1 and group_id = ?2
            returning\s""" + COLUMNS + ", secret, previous_secret_until";

    /** A ping, in the Standard Webhooks body every event has (R__19_outbox.sql writes the others). */
    private static final String PING = """
            insert into outbox (channel, webhook_id, event, payload)
            select 'webhook', w.id, 'ping',
                   jsonb_build_object('type', 'ping',
                                      'timestamp', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                      'data', jsonb_build_object('group_id', g.id, 'group_name', g.name))
              from webhooks w join groups g on g.id = w.group_id
             where w.id = ?1 and w.group_id = ?2
            returning id
            """;

    /** ?3: the cursor's condition, {@link #AFTER_CURSOR} or none. */
    private static final String DELIVERIES = """
            select id, event, status, attempts, last_status_code, last_attempt_at,
                   case when status = 'pending' then next_attempt_at end as next_attempt_at, created_at
              from (select * from outbox where webhook_id = ?1 order by seq desc limit ?2) newest
             where true %s
             order by seq desc
             limit ?3
            """;

    /** After the delivery ?4 (none when it is not the webhook's: an empty page). */
    private static final String AFTER_CURSOR = "and seq < (select seq from outbox where id = ?4 and webhook_id = ?1)";

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    WebhookAddresses addresses;

    /** A new webhook of the group, with its secret (owner, admins): 422 on a refused URL, 409 past ten or archived. */
    public WebhookWithSecret create(UUID caller, UUID groupId, NewWebhook request) {
        Access.manager(em, groupId, caller);
        checkUrl(request.url());
        Row row = Rows.single(em.createNativeQuery(CREATE)
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, groupId)
                .setParameter(3, request.url())
                .setParameter(4, json(request.events()))
                .setParameter(5, request.format())
                .setParameter(6, WebhookSignatures.newSecret())
                .setParameter(7, caller));
        return WebhookWithSecret.of(row);
    }

    /** The group's webhooks, oldest first, without secrets (owner, admins). */
    public List<WebhookResponse> list(UUID caller, UUID groupId) {
        Access.manager(em, groupId, caller);
        return Rows.list(em.createNativeQuery("select " + COLUMNS + " from webhooks where group_id = ?1 order by created_at, id")
                        .setParameter(1, groupId)).stream()
                .map(WebhookResponse::of)
                .toList();
    }

    /** One webhook of the group, without its secret (owner, admins). */
    public WebhookResponse get(UUID caller, UUID groupId, UUID webhookId) {
        Access.manager(em, groupId, caller);
        return WebhookResponse.of(one(em.createNativeQuery("select " + COLUMNS + " from webhooks where id = ?1 and group_id = ?2")
                .setParameter(1, webhookId)
                .setParameter(2, groupId)));
    }

    /** What a patch changes, applied to the webhook's {@link WebhookSettings} (a JSON Merge Patch, validated by the caller). */
    public WebhookResponse update(UUID caller, UUID groupId, UUID webhookId, UnaryOperator<WebhookSettings> change) {
        Access.manager(em, groupId, caller);
        Row current = one(em.createNativeQuery("select events, enabled from webhooks where id = ?1 and group_id = ?2 for update")
                .setParameter(1, webhookId)
                .setParameter(2, groupId));
        WebhookSettings changed = change.apply(new WebhookSettings(WebhookResponse.events(current), current.bool("enabled")));
        return WebhookResponse.of(one(em.createNativeQuery(UPDATE)
                .setParameter(1, webhookId)
                .setParameter(2, groupId)
                .setParameter(3, changed.enabled())
                .setParameter(4, json(changed.events()))));
    }

    /** Removes the webhook and its deliveries, pending ones included (owner, admins). */
    public void remove(UUID caller, UUID groupId, UUID webhookId) {
        Access.manager(em, groupId, caller);
        int removed = em.createNativeQuery("delete from webhooks where id = ?1 and group_id = ?2")
                .setParameter(1, webhookId)
                .setParameter(2, groupId)
                .executeUpdate();
        if (removed == 0) {
            throw new NotFound(WEBHOOK_NOT_FOUND);
        }
    }

    /** A new secret; the one before still signs for 24 hours (owner, admins). */
    public WebhookWithSecret rotateSecret(UUID caller, UUID groupId, UUID webhookId) {
        Access.manager(em, groupId, caller);
        return WebhookWithSecret.of(one(em.createNativeQuery(ROTATE)
                .setParameter(1, webhookId)
                .setParameter(2, groupId)
                .setParameter(3, WebhookSignatures.newSecret())));
    }

    /**
     * Queues a {@code ping} to the webhook, whatever events it takes (owner,
     * admins), and wakes the dispatchers when this commits; returns the
     * delivery's id. A webhook that is off: 409 (nothing is sent to it).
     */
    public UUID test(UUID caller, UUID groupId, UUID webhookId) {
        Access.manager(em, groupId, caller);
        Row webhook = one(em.createNativeQuery("select enabled from webhooks where id = ?1 and group_id = ?2")
                .setParameter(1, webhookId)
                .setParameter(2, groupId));
        if (!webhook.bool("enabled")) {
            throw new Conflict("This webhook is off: turn it on (enabled: true) to send it a test event.");
        }
        UUID delivery = one(em.createNativeQuery(PING).setParameter(1, webhookId).setParameter(2, groupId)).uuid("id");
        em.createNativeQuery("select 1 from (select outbox_wake()) wake").getSingleResult();   // R__19_outbox.sql: a notify at commit
        return delivery;
    }

    /**
     * The webhook's deliveries, newest first, of its last {@value #DELIVERIES_KEPT}:
     * {@code limit} of them from after {@code before} (a delivery's id; one of
     * another webhook, or gone, gives an empty page), plus one more when more
     * remain (owner, admins).
     */
    public List<WebhookDeliveryResponse> deliveries(UUID caller, UUID groupId, UUID webhookId, Optional<UUID> before,
            int limit) {
        Access.manager(em, groupId, caller);
        one(em.createNativeQuery("select id from webhooks where id = ?1 and group_id = ?2")
                .setParameter(1, webhookId)
                .setParameter(2, groupId));
        Query page = em.createNativeQuery(DELIVERIES.formatted(before.isPresent() ? AFTER_CURSOR : ""))
                .setParameter(1, webhookId)
                .setParameter(2, DELIVERIES_KEPT)
                .setParameter(3, limit + 1);
        before.ifPresent(id -> page.setParameter(4, id));
        return Rows.list(page).stream().map(WebhookDeliveryResponse::of).toList();
    }

    private void checkUrl(String url) {
        Optional<String> problem = addresses.urlProblem(url);
        if (problem.isPresent()) {
            throw new Invalid("url", problem.get());
        }
    }

    /** The one row of the group's webhook the query reads, or 404. */
    private static Row one(Query query) {
        List<Row> rows = Rows.list(query);
        if (rows.isEmpty()) {
            throw new NotFound(WEBHOOK_NOT_FOUND);
        }
        return rows.get(0);
    }

    private static String json(List<String> values) {
        JsonArrayBuilder array = SharedJson.PROVIDER.createArrayBuilder();
        values.forEach(v -> {
            if (v == null) {
                array.addNull();
            } else {
                array.add(v);
            }
        });
        StringWriter out = new StringWriter();
        SharedJson.PROVIDER.createWriter(out).write(array.build());
        return out.toString();
    }
}
