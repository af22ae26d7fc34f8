package app.lockin.profiles;

import java.time.Instant;
import java.util.Map;

/**
 * How to upload one avatar: {@code method} to {@code upload_url} with
 * exactly {@code headers}, before {@code expires_at}; then
 * {@code PATCH /api/me} with {@code avatar_url}.
 */
public record AvatarUploadResponse(
        String uploadUrl, String method, Map<String, String> headers,
        String key, String avatarUrl, Instant expiresAt) {

    static AvatarUploadResponse of(AvatarUpload upload) {
        return new AvatarUploadResponse(upload.url().toString(), upload.method(), upload.headers(), upload.key(),
                upload.avatarUrl(), upload.expiresAt());
    }
}
