package app.lockin.sessions;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * A person's own time logs, across all sessions: what changed since a
 * device last synced (delta sync), and a range of them for export. Open
 * segments are not part of either: a segment appears once it is closed.
 */
@Stateless
public class TimeLogs {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /**
     * Where a device's last sync ended: the transaction that last wrote the
     * last log it was given, and that log's id. {@link #START} is before everything.
     */
    public record SyncPosition(String writtenXid, UUID id) {
        public static final SyncPosition START = new SyncPosition("0", new UUID(0, 0));
    }

    /** One of a person's logs, with its session and group. */
    public record Entry(UUID id, UUID sessionId, UUID userId, UUID groupId, String groupName, Instant startedAt,
            Instant endedAt, TimeLog.Source source, SyncPosition position) {

        public long durationSeconds() {
            return Duration.between(startedAt, endedAt).toSeconds();
        }
    }

    private static final String COLUMNS = """
            select l.id, p.session_id, l.user_id, l.group_id, g.name, l.started_at, l.ended_at, l.source::text,
                   l.written_xid::text
              from time_logs l
              join session_participants p on p.id = l.participant_id
              left join groups g on g.id = l.group_id
            """;

    /**
     * Up to {@code limit} of the caller's logs written after the position,
     * in the order they were written. Only logs of transactions that have all
     * ended are given (older than this statement's snapshot's xmin): one that
     * commits later has a larger transaction id than any given here, so the
     * next sync from the last position finds it, whatever its timestamps.
     */
    @SuppressWarnings("unchecked")
    public List<Entry> writtenSince(UUID caller, SyncPosition after, int limit) {
        List<Object[]> rows = em.createNativeQuery(COLUMNS + """
                 where l.user_id = ?1 and l.ended_at is not null
                   and (l.written_xid, l.id) > (cast(?2 as xid8), ?3)
                   and l.written_xid < pg_snapshot_xmin(pg_current_snapshot())
                 order by l.written_xid, l.id
                 limit ?4
                """)
                .setParameter(1, caller)
                .setParameter(2, after.writtenXid())
                .setParameter(3, after.id())
                .setParameter(4, limit)
                .getResultList();
        return rows.stream().map(TimeLogs::entry).toList();
    }

    /** The caller's logs that overlap [from, to), oldest first. */
    @SuppressWarnings("unchecked")
    public List<Entry> between(UUID caller, Instant from, Instant to) {
        List<Object[]> rows = em.createNativeQuery(COLUMNS + """
                 where l.user_id = ?1 and l.ended_at is not null
                   and l.ended_at > ?2 and l.started_at < ?3
                 order by l.started_at, l.id
                """)
                .setParameter(1, caller)
                .setParameter(2, Timestamp.from(from))
                .setParameter(3, Timestamp.from(to))
                .getResultList();
        return rows.stream().map(TimeLogs::entry).toList();
    }

    private static Entry entry(Object[] row) {
        return new Entry((UUID) row[0], (UUID) row[1], (UUID) row[2], (UUID) row[3], (String) row[4],
                instant(row[5]), instant(row[6]),
                TimeLog.Source.valueOf(((String) row[7]).toUpperCase(Locale.ROOT)),
                new SyncPosition((String) row[8], (UUID) row[0]));
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp ts ? ts.toInstant() : (Instant) value;
    }
}
