package app.lockin.groups;

import java.time.Instant;
import java.util.Optional;

/**
 * A partial update of a group: empty fields stay as they are;
 * {@code description} may hold an empty value inside, to remove it.
 */
public record GroupChanges(Optional<String> name, Optional<Optional<String>> description, Optional<Instant> endAt,
        Optional<Integer> periodTargetMinutes) {
}
