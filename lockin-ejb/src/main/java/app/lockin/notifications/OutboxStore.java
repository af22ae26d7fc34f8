package app.lockin.notifications;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.ejb.Stateless;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.config.SharedJson;
import app.lockin.database.Row;
import app.lockin.database.Rows;

/**
 * The outbox's table as the dispatcher uses it, each call a transaction of
 * its own: claim due items (R__19_outbox.sql, {@code outbox_claim}), record
 * what became of attempts ({@code outbox_finish}), write the period
 * summaries that are due, purge what is over, and read the backlog for the
 * metrics.
 */
@Stateless
public class OutboxStore {

    /** An item claimed, with where it goes. */
    public record Claimed(OutboxItem item, OutboxItem.Address address) {
    }

    /** One attempt's result. */
    public record Attempt(OutboxItem item, Delivery delivery) {
    }

    /** How much is pending, and how long the oldest due item has waited. */
    public record Backlog(long pending, double oldestSeconds) {
    }

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** Leases up to {@code limit} due items to this instance (named {@code instance}) for {@code lease}. */
    public List<Claimed> claim(int limit, Duration lease, String instance) {
        return Rows.list(em.createNativeQuery("select * from outbox_claim(?1, make_interval(secs => ?2), ?3)")
                        .setParameter(1, limit)
                        .setParameter(2, lease.toMillis() / 1000.0)
                        .setParameter(3, instance))
                .stream()
                .map(OutboxStore::claimed)
                .toList();
    }

    /** Records the attempts' results (retries after {@code firstRetry}, doubling). */
    public void finish(List<Attempt> attempts, Duration firstRetry) {
        JsonArrayBuilder results = SharedJson.PROVIDER.createArrayBuilder();
        for (Attempt a : attempts) {
            JsonObjectBuilder result = SharedJson.PROVIDER.createObjectBuilder()
                    .add("id", a.item().id().toString())
                    .add("attempt", a.item().attempt())
                    .add("outcome", a.delivery().outcome().name().toLowerCase(java.util.Locale.ROOT));
            a.delivery().statusCode().ifPresent(code -> result.add("status_code", code));
            a.delivery().detail().ifPresent(detail -> result.add("error", detail));
            results.add(result);
        }
        em.createNativeQuery("select outbox_finish(cast(?1 as jsonb), make_interval(secs => ?2))")
                .setParameter(1, results.build().toString())
                .setParameter(2, firstRetry.toMillis() / 1000.0)
                .getSingleResult();
    }

    /** Writes the period_closed events that are due; answers how many. */
    public int writePeriodSummaries() {
        return ((Number) em.createNativeQuery("select outbox_period_summaries()").getSingleResult()).intValue();
    }

    /** Forgets what is over (a week after it ended; a webhook's last 100 kept); answers how many went. */
    public int purge() {
        return ((Number) em.createNativeQuery("select outbox_purge()").getSingleResult()).intValue();
    }

    public Backlog backlog() {
        Row row = Rows.single(em.createNativeQuery("select pending, oldest_seconds from outbox_backlog()"));
        return new Backlog(row.longValue("pending"), ((Number) row.get("oldest_seconds")).doubleValue());
    }

    private static Claimed claimed(Row row) {
        OutboxItem item = new OutboxItem(row.uuid("id"), row.string("channel"), row.uuid("target"), row.string("event"),
                row.string("payload"), row.intValue("attempt"), row.instant("created_at"));
        OutboxItem.Address address = "webhook".equals(item.channel())
                ? new OutboxItem.Webhook(row.string("url"), row.string("format"), row.string("secret"),
                        Optional.ofNullable(row.string("previous_secret")))
                : new OutboxItem.Device(row.string("platform"), row.string("token"),
                        Optional.ofNullable(row.string("locale")));
        return new Claimed(item, address);
    }
}
