package app.lockin.idempotency;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The idempotency keys of API.md "Retries, several devices, offline
 * clients", kept in PostgreSQL (table idempotency_keys, function
 * claim_idempotency_key) so every instance honours them and a restart loses
 * none. Each step is a transaction of its own: a claim is visible to a
 * concurrent repeat at once, and the answer is kept whatever became of the
 * request's own transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class IdempotencyKeys {

    /** How long a key is remembered. */
    public static final Duration TTL = Duration.ofHours(24);

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    public enum Outcome {
        /** The key is the request's: do the work. */
        CLAIMED,
        /** The key went with another request (method, path or body). */
        MISMATCH,
        /** The first request with the key has no answer yet. */
        IN_PROGRESS,
        /** The first request's answer, to send again. */
        REPLAY
    }

    /** What a claim found; the stored answer when it is a replay. */
    public record Claim(Outcome outcome, int status, String contentType, String location, byte[] body) {
    }

    public Claim claim(UUID caller, String key, byte[] requestHash) {
        Object[] row = (Object[]) em.createNativeQuery("select outcome, status, content_type, location, body "
                        + "from claim_idempotency_key(?1, ?2, ?3, make_interval(secs => ?4))")
                .setParameter(1, caller)
                .setParameter(2, key)
                .setParameter(3, requestHash)
                .setParameter(4, (double) TTL.toSeconds())
                .getSingleResult();
        Outcome outcome = Outcome.valueOf(((String) row[0]).toUpperCase(Locale.ROOT));
        return new Claim(outcome, row[1] == null ? 0 : ((Number) row[1]).intValue(), (String) row[2], (String) row[3],
                (byte[]) row[4]);
    }

    /** Keeps the first request's answer for its repeats. */
    public void complete(UUID caller, String key, int status, String contentType, String location, byte[] body) {
        em.createNativeQuery("select complete_idempotency_key(?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, caller)
                .setParameter(2, key)
                .setParameter(3, status)
                .setParameter(4, contentType)
                .setParameter(5, location)
                .setParameter(6, body == null ? new byte[0] : body)
                .getSingleResult();
    }

    /** Gives the key back when the request failed on the server's side: a retry may do the work. */
    public void release(UUID caller, String key) {
        em.createNativeQuery("delete from idempotency_keys where caller_id = ?1 and key = ?2 and status is null")
                .setParameter(1, caller)
                .setParameter(2, key)
                .executeUpdate();
    }

    /** Forgets keys older than the TTL; returns how many. */
    public int purgeExpired() {
        return em.createNativeQuery("delete from idempotency_keys where created_at < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) TTL.toSeconds())
                .executeUpdate();
    }
}
