package app.lockin.groups;

import app.lockin.database.Row;

/**
 * A member's streak of periods with the goal met, and their longest, as the
 * group's leaderboard shows them (database function group_leaderboard: one
 * rule for both), to a viewer who sees the member (member_shown); to others,
 * none ({@link #NOT_SHOWN}: a member who hides is listed with their name and
 * role only).
 */
record Streak(Integer current, Integer best) {

    /** No board (yet) for the member: no streak. */
    static final Streak NONE = new Streak(0, 0);

    /** A member the viewer does not see: nothing of their record. */
    static final Streak NOT_SHOWN = new Streak(null, null);

    /** A board's streaks, and whether the viewer (?2) sees each member, by one key lookup each. */
    static final String SEEN = """
            select b.user_id, b.streak, b.best_streak, m.shown
              from group_leaderboard(?1) b
              left join group_members v on v.group_id = ?1 and v.user_id = ?2
             cross join lateral (select member_shown(gm, v) as shown from group_members gm
                                  where gm.group_id = b.group_id and gm.user_id = b.user_id limit 1) m""";

    /**
     * A row of group_leaderboard's streak and best_streak, with whether the
     * viewer sees them ({@link #SEEN}'s columns; {@link #NONE} when the row
     * has none: a member outer-joined to a board that does not list them).
     */
    static Streak of(Row r) {
        if (r.get("shown") == null) {
            return NONE;
        }
        return r.bool("shown") ? new Streak(r.intValue("streak"), r.intValue("best_streak")) : NOT_SHOWN;
    }
}
