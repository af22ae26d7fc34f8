package app.lockin.live;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A message of the database's channel {@code lockin_live}: what a committed
 * transaction changed (sent by the triggers of db/migration/R__12_live.sql,
 * one line of space-separated fields; see its header).
 */
sealed interface LiveMessage {

    /** The group's leaderboard may have changed. */
    record BoardChanged(UUID groupId) implements LiveMessage {
    }

    /** Someone joined or left a group. */
    record MemberChanged(UUID groupId, UUID userId, boolean joined) implements LiveMessage {
    }

    /** A group was archived: its streams end. */
    record GroupArchived(UUID groupId) implements LiveMessage {
    }

    /** Someone started or stopped focusing in a session of a group ({@code hidden}: not every member sees them). */
    record PresenceChanged(UUID groupId, UUID userId, UUID sessionId, boolean focusing, boolean hidden) implements LiveMessage {
    }

    /** A new notification in someone's inbox. */
    record NotificationAdded(UUID recipientId, UUID notificationId, String kind, UUID groupId) implements LiveMessage {

        boolean milestone() {
            return kind.startsWith("milestone_");
        }
    }

    /** A person was erased: every instance forgets the profile id it cached for their identities. */
    record ProfileErased(UUID profileId) implements LiveMessage {
    }

    /** A goal check is due at {@code at}. */
    record GoalCheckDue(Instant at) implements LiveMessage {
    }

    /** The message, or empty for one this version does not know (a newer instance may send more kinds). */
    static Optional<LiveMessage> parse(String payload) {
        String[] f = payload.split(" ");
        try {
            return Optional.ofNullable(switch (f[0]) {
                case "board" -> new BoardChanged(UUID.fromString(f[1]));
                case "member" -> new MemberChanged(UUID.fromString(f[1]), UUID.fromString(f[2]), "1".equals(f[3]));
                case "archived" -> new GroupArchived(UUID.fromString(f[1]));
                case "presence" -> new PresenceChanged(UUID.fromString(f[1]), UUID.fromString(f[2]),
                        UUID.fromString(f[3]), "1".equals(f[4]), f.length > 5 && "hidden".equals(f[5]));
                case "notification" -> new NotificationAdded(UUID.fromString(f[1]), UUID.fromString(f[2]), f[3],
                        "-".equals(f[4]) ? null : UUID.fromString(f[4]));
                case "goal" -> new GoalCheckDue(Instant.ofEpochMilli(Long.parseLong(f[1])));
                case "erased" -> new ProfileErased(UUID.fromString(f[1]));
                default -> null;
            });
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
