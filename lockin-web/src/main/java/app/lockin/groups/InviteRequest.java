package app.lockin.groups;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import app.lockin.rest.JsonFields;
import app.lockin.rules.Invalid;

/** The body of {@code POST /api/groups/{id}:invite}: exactly one of {@code recipient_id} and {@code email}. */
record InviteRequest(Optional<UUID> recipientId, Optional<String> email) {

    static final Set<String> FIELDS = Set.of("recipient_id", "email");

    static InviteRequest from(JsonFields body) {
        Optional<UUID> recipientId = body.uuid("recipient_id");
        Optional<String> email = body.string("email").map(String::strip);
        body.check();
        if (recipientId.isPresent() == email.isPresent()) {
            throw new Invalid(recipientId.isPresent() ? "email" : "recipient_id",
                    "give either recipient_id or email, not both and not neither");
        }
        if (email.isPresent() && (email.get().isEmpty() || email.get().length() > 320 || !email.get().contains("@"))) {
            throw new Invalid("email", "must be an email address");
        }
        return new InviteRequest(recipientId, email);
    }
}
