package app.lockin.profiles;

import java.util.Optional;
import java.util.Set;

import jakarta.validation.constraints.Size;

import app.lockin.rest.JsonFields;
import app.lockin.rest.TextLength;

/**
 * The body of {@code PATCH /api/me}: each field optional, absent fields stay
 * as they are. {@code display_name} is trimmed first; {@code avatar_url} is
 * null (remove the avatar) or a URL returned by the avatar upload.
 */
public record ProfilePatch(
        @TextLength(min = 1, max = 50, message = "must have 1 to 50 characters after trimming")
        String displayName,
        @Size(max = 2048)
        String avatarUrl) {


    static final Set<String> WRITABLE = Set.of("display_name", "avatar_url");
    static final Set<String> READ_ONLY = Set.of("id", "email", "created_at", "updated_at", "memberships");

    /** What a body changes: the fields it has, as a validated patch plus which nullable fields it clears. */
    record Read(ProfilePatch patch, ProfileChanges changes) {
    }

    static Read from(JsonFields body) {
        Optional<String> name = body.string("display_name").map(String::strip);
        Optional<Optional<String>> avatar = body.nullableString("avatar_url");
        body.check();
        ProfilePatch patch = new ProfilePatch(name.orElse(null), avatar.flatMap(a -> a).orElse(null));
        return new Read(patch, new ProfileChanges(name, avatar));
    }
}
