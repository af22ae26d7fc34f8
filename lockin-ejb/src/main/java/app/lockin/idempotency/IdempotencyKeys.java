package app.lockin.idempotency;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Row;
import app.lockin.database.Rows;

/**
 * The idempotency keys of API.md "Retries, several devices, offline
 * clients", kept in PostgreSQL (table idempotency_keys, functions
 * claim_idempotency_key and keep_idempotent_answer) so every instance
 * honours them and a restart loses none. A key is claimed, its request's
 * work done and its answer kept in one transaction, the caller's: the answer
 * exists exactly when the work does.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.MANDATORY)
public class IdempotencyKeys {

    /** How long a key is remembered. */
    public static final Duration TTL = Duration.ofHours(24);

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    public enum Outcome {
        /** The key is the request's: do the work in this transaction. */
        CLAIMED,
        /** The key went with another request (method, path or body). */
        MISMATCH,
        /** The first request with the key did not end within the wait. */
        IN_PROGRESS,
        /** The first request's answer, to send again. */
        REPLAY
    }

    /** What a claim found; the kept answer when it is a replay. */
    public record Claim(Outcome outcome, int status, String contentType, String location, byte[] body) {
    }

    /** A request's answer, kept for its repeats. */
    public record Answer(int status, String contentType, String location, byte[] body) {
    }

    /**
     * Claims the key in the caller's transaction; a repeat of a request that
     * is still running waits for it up to {@code wait}.
     */
    public Claim claim(UUID caller, String key, byte[] requestHash, Duration wait) {
        Row row = Rows.single(em.createNativeQuery("select outcome, status, content_type, location, body "
                        + "from claim_idempotency_key(?1, ?2, ?3, make_interval(secs => ?4), make_interval(secs => ?5))")
                .setParameter(1, caller)
                .setParameter(2, key)
                .setParameter(3, requestHash)
                .setParameter(4, (double) TTL.toSeconds())
                .setParameter(5, wait.toMillis() / 1000.0));
        Outcome outcome = Outcome.valueOf(row.string("outcome").toUpperCase(Locale.ROOT));
        return new Claim(outcome, row.get("status") == null ? 0 : row.intValue("status"), row.string("content_type"),
                row.string("location"), row.bytes("body"));
    }

    /**
     * Keeps the answer in the caller's transaction: the request's own (after
     * checking its deferred constraints), or a new one when the request's
     * work rolled back.
     */
    public void keep(UUID caller, String key, byte[] requestHash, Answer answer) {
        em.createNativeQuery("select keep_idempotent_answer(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, caller)
                .setParameter(2, key)
                .setParameter(3, requestHash)
                .setParameter(4, answer.status())
                .setParameter(5, answer.contentType())
                .setParameter(6, answer.location())
                .setParameter(7, answer.body() == null ? new byte[0] : answer.body())
                .getSingleResult();
    }

    /** Forgets keys older than the TTL; returns how many. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public int purgeExpired() {
        return em.createNativeQuery("delete from idempotency_keys where created_at < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) TTL.toSeconds())
                .executeUpdate();
    }
}
