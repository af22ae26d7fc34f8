package app.lockin.profiles;

import jakarta.validation.constraints.NotNull;

/**
 * What a person may change of their profile: {@code PATCH /api/me} is a JSON
 * Merge Patch of it. {@code avatar_url} is null (no avatar) or a URL returned
 * by the avatar upload for this person.
 */
public record ProfileSettings(@NotNull(message = "is required") String displayName, String avatarUrl) {

    static ProfileSettings of(Profile profile) {
        return new ProfileSettings(profile.displayName(), profile.avatarUrl());
    }
}
