package app.lockin.profiles;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import app.lockin.rules.Invalid;

/**
 * A person using LockIN. Created on the first authenticated call by the
 * database function {@code provision_profile} (see {@code Profiles}).
 */
@Entity
@Table(name = "profiles")
public class Profile {

    public static final int DISPLAY_NAME_MAX = 50;

    @Id
    private UUID id;

    private String email;

    @Column(name = "display_name", nullable = false)
    private String displayName;

    @Column(name = "avatar_url")
    private String avatarUrl;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", insertable = false, updatable = false)
    private Instant updatedAt;

    protected Profile() {
    }

    public void rename(String newDisplayName) {
        String trimmed = newDisplayName == null ? "" : newDisplayName.strip();
        if (trimmed.isEmpty() || trimmed.codePointCount(0, trimmed.length()) > DISPLAY_NAME_MAX) {
            throw new Invalid("display_name", "must have 1 to " + DISPLAY_NAME_MAX + " characters after trimming");
        }
        this.displayName = trimmed;
    }

    public void changeAvatar(String newAvatarUrl) {
        this.avatarUrl = newAvatarUrl;
    }

    public UUID id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String displayName() {
        return displayName;
    }

    public String avatarUrl() {
        return avatarUrl;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
