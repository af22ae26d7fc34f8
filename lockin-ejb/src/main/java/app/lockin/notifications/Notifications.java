package app.lockin.notifications;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Lsn;
import app.lockin.database.Reads;
import app.lockin.database.Row;
import app.lockin.rules.NotFound;

/**
 * A person's inbox: newest first, pages by keyset, marking read. Reads are
 * one statement each and run without a transaction of their own.
 */
@Stateless
public class Notifications {

    /** An item's columns, as {@link NotificationResponse#of(Row)} reads them. */
    private static final String COLUMNS = "select id, recipient_id, kind::text as kind, status::text as status, title, body,"
            + " group_id, actor_id, created_at, read_at from notifications";

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    @Inject
    Reads reads;

    /** The position after which a page starts: the last item seen. */
    public record Cursor(Instant createdAt, UUID id) {
    }

    /**
     * Up to {@code limit + 1} notifications of the caller after the cursor,
     * newest first (one more than asked tells the caller that more remain).
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<NotificationResponse> page(UUID caller, boolean unreadOnly, Optional<Cursor> after, int limit) {
        String sql = COLUMNS + " where recipient_id = ?1"
                + (unreadOnly ? " and read_at is null" : "")
                + (after.isPresent() ? " and (created_at, id) < (?3, ?4)" : "")
                + " order by created_at desc, id desc limit ?2";
        Object[] parameters = after.isPresent()
                ? new Object[] {caller, limit + 1, Timestamp.from(after.get().createdAt()), after.get().id()}
                : new Object[] {caller, limit + 1};
        return reads.list(sql, parameters).stream().map(NotificationResponse::of).toList();
    }

    /** The given notifications (any recipient's: for the live streams, which route each to its recipient). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<NotificationResponse> byIds(Collection<UUID> ids, Lsn after) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return reads.listAfter(after, COLUMNS + " where id = any (string_to_array(?1, ',')::uuid[])",
                ids.stream().map(UUID::toString).collect(Collectors.joining(","))).stream().map(NotificationResponse::of).toList();
    }

    /** A notification and whose inbox it is in. */
    public record Delivery(UUID recipientId, NotificationResponse notification) {
    }

    /** The notifications written since {@code since} for any of the recipients, oldest first (for streams that may have missed them). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<Delivery> since(Collection<UUID> recipients, Instant since, Lsn after) {
        if (recipients.isEmpty()) {
            return List.of();
        }
        return reads.listAfter(after, COLUMNS + """
                         where recipient_id = any (string_to_array(?1, ',')::uuid[]) and created_at >= ?2
                         order by created_at, id""",
                recipients.stream().map(UUID::toString).collect(Collectors.joining(",")), Timestamp.from(since))
                .stream().map(r -> new Delivery(r.uuid("recipient_id"), NotificationResponse.of(r))).toList();
    }

    /** Marks one's notification read (read_at stamped by the database); again is harmless. */
    public NotificationResponse read(UUID caller, UUID notificationId) {
        Notification notification = own(caller, notificationId, LockModeType.PESSIMISTIC_WRITE);
        notification.markRead();
        em.flush();
        em.refresh(notification);
        return NotificationResponse.of(notification);
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public NotificationResponse get(UUID caller, UUID notificationId) {
        return NotificationResponse.of(own(caller, notificationId, LockModeType.NONE));
    }

    private Notification own(UUID caller, UUID notificationId, LockModeType lock) {
        Notification notification = em.find(Notification.class, notificationId, lock);
        if (notification == null || !notification.isFor(caller)) {
            throw new NotFound("notification not found");
        }
        return notification;
    }
}
