package app.lockin.sessions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import app.lockin.database.Cursors;
import app.lockin.database.Reads;
import app.lockin.database.Row;
import app.lockin.database.Rows;

/**
 * A person's own time logs, across all sessions: what changed since a
 * device last synced (delta sync), and a range of them for export. Open
 * segments are not part of either: a segment appears once it is closed.
 */
@Stateless
public class TimeLogs {

    @PersistenceContext(unitName = "lockin")
    EntityManager em;

    /** The exports' cursors read through JDBC (EclipseLink would hand over a native query's whole result), on a replica when one may serve them. */
    @Inject
    Reads reads;

    /**
     * Where a device's last sync ended: the transaction that last wrote the
     * last log it was given, and that log's id. {@link #START} is before everything.
     */
    public record SyncPosition(String writtenXid, UUID id) {
        public static final SyncPosition START = new SyncPosition("0", new UUID(0, 0));
    }

    /** One of a person's logs, with its session and group. */
    public record Entry(UUID id, UUID sessionId, UUID userId, UUID groupId, String groupName, Instant startedAt,
            Instant endedAt, TimeLog.Source source, Instant voidedAt, UUID voidedBy, String voidReason, SyncPosition position) {

        public long durationSeconds() {
            return Duration.between(startedAt, endedAt).toSeconds();
        }
    }

    private static final String COLUMNS = """
            select l.id, p.session_id, l.user_id, l.group_id, g.name as group_name, l.started_at, l.ended_at,
                   l.source::text as source, l.voided_at, l.voided_by, l.void_reason, l.written_xid::text as written_xid
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
    public List<Entry> writtenSince(UUID caller, SyncPosition after, int limit) {
        List<Row> rows = Rows.list(em.createNativeQuery(COLUMNS + """
                 where l.user_id = ?1 and l.ended_at is not null
                   and (l.written_xid, l.id) > (cast(?2 as xid8), ?3)
                   and l.written_xid < pg_snapshot_xmin(pg_current_snapshot())
                 order by l.written_xid, l.id
                 limit ?4
                """)
                .setParameter(1, caller)
                .setParameter(2, after.writtenXid())
                .setParameter(3, after.id())
                .setParameter(4, limit));
        return rows.stream().map(TimeLogs::entry).toList();
    }

    /**
     * The caller's logs that overlap [from, to), oldest first, each handed to
     * {@code each} as it is read, for an export that writes it out at once:
     * a cursor ({@link Cursors}) in a transaction of its own (on a replica when
     * one may serve the caller's reads: {@link Reads#snapshot}), so memory holds
     * one batch of rows whatever the range. They are read in the order of
     * their ends, which is the order of their starts too (a person's logs
     * never overlap: time_logs_no_overlap), which the index on
     * {@code (user_id, ended_at)} can give without a sort, the first row at
     * once (in the benchmark, a year of 1 M logs, half of the table's, starts
     * after ~0.8 s: for so large a share PostgreSQL may choose to scan and sort).
     *
     * @throws app.lockin.database.OutputFailed when {@code each} could not write a row out; the read stops there
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)   // Reads.snapshot: a replica's transaction, or the primary's own
    public void between(UUID caller, Instant from, Instant to, Consumer<Entry> each) {
        reads.snapshot(connection -> {
            try (PreparedStatement statement = Cursors.prepare(connection, COLUMNS + """
                          where l.user_id = ? and l.ended_at is not null
                            and l.ended_at > ? and l.started_at < ?
                          order by l.ended_at
                         """, caller, Timestamp.from(from), Timestamp.from(to));
                 ResultSet rows = statement.executeQuery()) {
                Rows.each(rows, row -> each.accept(entry(row)));
            }
        });
    }

    private static Entry entry(Row row) {
        UUID id = row.uuid("id");
        return new Entry(id, row.uuid("session_id"), row.uuid("user_id"), row.uuid("group_id"), row.string("group_name"),
                row.instant("started_at"), row.instant("ended_at"),
                TimeLog.Source.valueOf(row.string("source").toUpperCase(Locale.ROOT)),
                row.instant("voided_at"), row.uuid("voided_by"), row.string("void_reason"),
                new SyncPosition(row.string("written_xid"), id));
    }
}
