package app.lockin.progress;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import app.lockin.database.Row;

/**
 * A leaderboard as read for all its viewers at once (the live streams), with
 * whom the database says each viewer does not see (member_shown,
 * db/migration/R__05_privacy.sql): those entries are masked for that viewer.
 * Viewers who do not see the same members see the same board, so a board is
 * written once per audience, not once per viewer.
 */
public final class Board {

    private final List<ProgressEntry> entries;
    private final Map<UUID, Set<UUID>> notShownTo;

    Board(List<ProgressEntry> entries, List<Row> notShown) {
        this.entries = entries;
        this.notShownTo = new HashMap<>();
        for (Row r : notShown) {
            Set<UUID> members = new HashSet<>();
            for (Object member : r.array("member_ids")) {
                members.add((UUID) member);
            }
            notShownTo.put(r.uuid("viewer_id"), Set.copyOf(members));
        }
    }

    /** Whether the person is on the board (every member is). */
    public boolean lists(UUID userId) {
        return entries.stream().anyMatch(e -> e.userId().equals(userId));
    }

    /**
     * Which version of the board the viewer sees: the members they do not see
     * (none: the board in full). Viewers of one audience see the same board.
     */
    public Set<UUID> audienceOf(UUID viewer) {
        return notShownTo.getOrDefault(viewer, Set.of());
    }

    /** The board as the viewer sees it. */
    public List<ProgressEntry> seenBy(UUID viewer) {
        Set<UUID> notShown = audienceOf(viewer);
        if (notShown.isEmpty()) {
            return entries;
        }
        return entries.stream().map(e -> notShown.contains(e.userId()) ? e.masked() : e).toList();
    }

    /** The board in full (the server's own uses: periods, boundaries). */
    public List<ProgressEntry> entries() {
        return entries;
    }
}
