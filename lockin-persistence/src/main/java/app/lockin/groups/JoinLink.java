package app.lockin.groups;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import app.lockin.database.Labels;
import app.lockin.rules.Gone;

/**
 * A link that adds whoever uses it to a group as a member: until it expires,
 * at most {@code max_uses} times (none: no limit), unless revoked. Its code is
 * 192 random bits, base64url.
 */
@Entity
@Table(name = "join_links")
@NamedQuery(name = JoinLink.OF_GROUP,
        query = "select l from JoinLink l where l.groupId = :groupId order by l.createdAt desc, l.id desc")
@NamedQuery(name = JoinLink.BY_CODE, query = "select l from JoinLink l where l.code = :code")
public class JoinLink {

    public static final String OF_GROUP = "JoinLink.ofGroup";
    public static final String BY_CODE = "JoinLink.byCode";

    /** How long a link lasts when its creator does not say. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CODE_BYTES = 24;

    @Id
    private UUID id;

    @Column(name = "group_id", nullable = false)
    private UUID groupId;

    @Column(nullable = false)
    private String code;

    /** Nullable (its creator's profile deleted): kept as text, see Labels. */
    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "max_uses")
    private Integer maxUses;

    @Column(nullable = false)
    private int uses;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected JoinLink() {
    }

    /**
     * A new link of the group by its creator at {@code now}, lasting until
     * {@code expiresAt} (null: {@link #DEFAULT_LIFETIME}); the database
     * holds it to the future and at most 90 days away (join_links checks).
     */
    public static JoinLink create(UUID groupId, UUID creator, Instant expiresAt, Integer maxUses, Instant now) {
        Instant until = expiresAt == null ? now.plus(DEFAULT_LIFETIME) : expiresAt;
        JoinLink link = new JoinLink();
        link.id = UUID.randomUUID();
        link.groupId = groupId;
        link.code = newCode();
        link.createdBy = Labels.of(creator);
        link.expiresAt = until;
        link.maxUses = maxUses;
        return link;
    }

    private static String newCode() {
        byte[] bytes = new byte[CODE_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** One use at {@code now}, or 410 when the link is revoked, expired or used up (the caller holds the row's lock). */
    public void use(Instant now) {
        if (revokedAt != null) {
            throw new Gone("This link was revoked.");
        }
        if (!expiresAt.isAfter(now)) {
            throw new Gone("This link has expired.");
        }
        if (maxUses != null && uses >= maxUses) {
            throw new Gone("This link has been used up.");
        }
        uses++;
    }

    /** Revokes the link at {@code now} (a link revoked already keeps its time). */
    public void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }

    public UUID id() {
        return id;
    }

    public UUID groupId() {
        return groupId;
    }

    public String code() {
        return code;
    }

    public UUID createdBy() {
        return Labels.uuid(createdBy);
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Integer maxUses() {
        return maxUses;
    }

    public int uses() {
        return uses;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
