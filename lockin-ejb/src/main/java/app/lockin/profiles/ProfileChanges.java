package app.lockin.profiles;

import java.util.Optional;

/**
 * A partial update of one's profile. An empty {@code displayName} leaves
 * the name as it is; {@code avatarUrl} is empty to leave the avatar, or
 * holds the new value, which may be {@code Optional.empty()} inside to
 * remove it.
 */
public record ProfileChanges(Optional<String> displayName, Optional<Optional<String>> avatarUrl) {

    public ProfileChanges {
        displayName = displayName == null ? Optional.empty() : displayName;
        avatarUrl = avatarUrl == null ? Optional.empty() : avatarUrl;
    }
}
