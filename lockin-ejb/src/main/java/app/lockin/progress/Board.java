package app.lockin.progress;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import app.lockin.database.Row;

/**
 * A leaderboard as read for all its viewers at once (the live streams): in
 * full, and, for each set of members some viewers do not see (member_shown,
 * db/migration/R__05_privacy.sql), as those viewers see it: without those
 * members, the others ranked among themselves (board_seen_by, computed by
 * the database once for each such set, for one of its viewers). Viewers who
 * do not see the same members see the same board, so a board is written once
 * per audience, not once per viewer.
 */
public final class Board {

    private final List<ProgressEntry> entries;
    private final Map<UUID, Set<UUID>> notShownTo = new HashMap<>();
    private final Map<Set<UUID>, List<ProgressEntry>> byAudience = new HashMap<>();

    /**
     * @param entries  the board in full
     * @param notShown whom each viewer who does not see everyone does not see (viewer_id, member_ids)
     * @param seenBy   the board as one viewer sees it (the database's)
     */
    Board(List<ProgressEntry> entries, List<Row> notShown, Function<UUID, List<ProgressEntry>> seenBy) {
        this.entries = entries;
        byAudience.put(Set.of(), entries);
        for (Row r : notShown) {
            UUID viewer = r.uuid("viewer_id");
            Set<UUID> audience = new HashSet<>();
            for (Object member : r.array("member_ids")) {
                audience.add((UUID) member);
            }
            notShownTo.put(viewer, audience);
            byAudience.computeIfAbsent(audience, a -> seenBy.apply(viewer));
        }
    }

    /** Whether the person is on the board (every member is). */
    public boolean lists(UUID userId) {
        return entries.stream().anyMatch(e -> userId.equals(e.userId()));
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
        return byAudience.get(audienceOf(viewer));
    }

    /** The board in full (the server's own uses: periods, boundaries). */
    public List<ProgressEntry> entries() {
        return entries;
    }
}
