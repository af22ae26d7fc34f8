package app.lockin.profiles;

import java.util.Arrays;
import java.util.Optional;

/** The image formats an avatar may have: the media type its upload declares and the extension its key ends with. */
public enum AvatarFormat {

    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    WEBP("image/webp", "webp");

    private final String mediaType;
    private final String extension;

    AvatarFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** The format of a media type as the API spells it ({@code image/png}); empty for anything else. */
    public static Optional<AvatarFormat> ofMediaType(String mediaType) {
        return Arrays.stream(values()).filter(f -> f.mediaType.equals(mediaType)).findFirst();
    }
}
