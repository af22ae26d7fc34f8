package app.lockin.profiles;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Permission to upload one avatar straight to storage: send {@code method}
 * to {@code url} with exactly {@code headers} (they are signed) before
 * {@code expiresAt}; the avatar is then read at {@code avatarUrl}, the value
 * {@code PATCH /api/me} accepts.
 */
public record AvatarUpload(URI url, String method, Map<String, String> headers, String key, String avatarUrl,
        Instant expiresAt) {

    public AvatarUpload {
        headers = Collections.unmodifiableMap(new TreeMap<>(headers));
    }
}
