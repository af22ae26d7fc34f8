package app.lockin.progress;

import java.util.List;
import java.util.UUID;

/** Who is focusing now in one of the caller's active groups (GET /api/me/focus). */
public record GroupFocus(UUID groupId, String groupName, List<Focusing> focusing) {
}
