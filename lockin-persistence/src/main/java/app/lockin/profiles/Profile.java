package app.lockin.profiles;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;


/**
 * A person using LockIN. Created on the first authenticated call by the
 * database function {@code provision_profile} (see {@code Profiles}).
 */
@Entity
@Table(name = "profiles")
public class Profile {

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

    /** A new display name, trimmed; 1 to 50 characters (profiles_display_name_length). */
    public void rename(String newDisplayName) {
        this.displayName = newDisplayName == null ? null : newDisplayName.strip();
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
