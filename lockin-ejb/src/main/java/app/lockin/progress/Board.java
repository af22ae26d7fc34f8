package app.lockin.progress;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import app.lockin.database.Row;

/**
 * A leaderboard as read, with what deciding who sees whom needs: who manages
 * the group (owner, admins) and who hides from the leaderboard. The owner,
 * admins and each hidden member themself see everyone; other plain members see
 * the hidden entries masked.
 */
public final class Board {

    /** Who sees the board in full. */
    public static final Object EVERYONE_SHOWN = "everyone shown";
    /** Plain members who do not hide: the same masked board for all of them. */
    public static final Object HIDDEN_MASKED = "hidden masked";

    private final List<ProgressEntry> entries;
    private final Set<UUID> managers;
    private final boolean anyHidden;

    Board(List<Row> rows) {
        this.entries = rows.stream().map(ProgressEntry::of).toList();
        this.managers = new HashSet<>();
        for (Row r : rows) {
            if (r.bool("manages")) {
                managers.add(r.uuid("user_id"));
            }
        }
        this.anyHidden = entries.stream().anyMatch(ProgressEntry::hidden);
    }

    /** Whether the person is on the board (every member is). */
    public boolean lists(UUID userId) {
        return entries.stream().anyMatch(e -> e.userId().equals(userId));
    }

    /**
     * Which version of the board the viewer sees: {@link #EVERYONE_SHOWN},
     * {@link #HIDDEN_MASKED}, or (a plain member who hides) their own id: the
     * masked board with their own entry shown. Viewers of one audience see the
     * same board.
     */
    public Object audienceOf(UUID viewer) {
        if (!anyHidden || managers.contains(viewer)) {
            return EVERYONE_SHOWN;
        }
        boolean viewerHides = entries.stream().anyMatch(e -> e.hidden() && e.userId().equals(viewer));
        return viewerHides ? viewer : HIDDEN_MASKED;
    }

    /** The board as the viewer sees it. */
    public List<ProgressEntry> seenBy(UUID viewer) {
        Object audience = audienceOf(viewer);
        if (audience == EVERYONE_SHOWN) {
            return entries;
        }
        return entries.stream().map(e -> e.hidden() && !e.userId().equals(viewer) ? e.masked() : e).toList();
    }

    /** The board in full (owner and admins, and the server's own uses). */
    public List<ProgressEntry> entries() {
        return entries;
    }
}
