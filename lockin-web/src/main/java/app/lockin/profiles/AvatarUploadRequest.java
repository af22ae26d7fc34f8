package app.lockin.profiles;


import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;


/** The body of {@code POST /api/profiles/avatar/upload-url}: what the app is about to upload. */
public record AvatarUploadRequest(
        @NotNull
        @Pattern(regexp = "image/jpeg|image/png|image/webp", message = "must be image/jpeg, image/png or image/webp")
        String contentType,
        @NotNull
        @Min(value = 1, message = "must be at least 1 byte")
        @Max(value = AvatarUploads.MAX_BYTES, message = "must be at most 5 MiB (5242880 bytes)")
        Long contentLength) {

    /** The format, once the request is valid. */
    AvatarFormat format() {
        return AvatarFormat.ofMediaType(contentType).orElseThrow();
    }
}
