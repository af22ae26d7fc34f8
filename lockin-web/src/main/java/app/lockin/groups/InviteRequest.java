package app.lockin.groups;

import java.util.Optional;
import java.util.UUID;

import app.lockin.rules.Invalid;

/** The body of {@code POST /api/groups/{id}:invite}: exactly one of {@code recipient_id} and {@code email}. */
public record InviteRequest(UUID recipientId, String email) {

    /**
     * The email given, trimmed; 422 unless exactly one recipient is named and
     * an email looks like one (its length is the database's rule: email_invites).
     */
    Optional<String> checkedEmail() {
        Optional<String> trimmed = Optional.ofNullable(email).map(String::strip);
        if ((recipientId != null) == trimmed.isPresent()) {
            throw new Invalid(recipientId != null ? "email" : "recipient_id",
                    "give either recipient_id or email, not both and not neither");
        }
        if (trimmed.isPresent() && !trimmed.get().contains("@")) {
            throw new Invalid("email", "must be an email address");
        }
        return trimmed;
    }
}
