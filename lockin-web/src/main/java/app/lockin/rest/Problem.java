package app.lockin.rest;

import java.util.List;
import java.util.UUID;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import app.lockin.rules.FieldError;

/**
 * An error answer, RFC 9457 {@code application/problem+json}. The mobile
 * app shows {@code detail}; {@code errors} names each invalid field of a
 * request body (422); {@code running_session_id} names the caller's running
 * session when another one cannot start (409); {@code owned_groups} the
 * groups with other members that a person must hand over before erasing
 * their account (409).
 */
@JsonbNillable(false)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
        UUID runningSessionId, List<UUID> ownedGroups) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    public static Problem of(Response.StatusType status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, null, null, null);
    }

    /** The same problem naming the caller's session that is running elsewhere (one place at a time). */
    public Problem withRunningSession(UUID sessionId) {
        return new Problem(type, title, status, detail, errors, sessionId, ownedGroups);
    }

    /** The same problem naming the groups the caller owns with other members (erasure). */
    public Problem withOwnedGroups(List<UUID> groups) {
        return new Problem(type, title, status, detail, errors, runningSessionId, List.copyOf(groups));
    }

    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : "The request has " + errors.size() + " invalid fields.";
        return new Problem("about:blank", "Unprocessable Content", 422, detail, List.copyOf(errors), null, null);
    }

    public Response.ResponseBuilder toResponse() {
        return Response.status(status, title).type(PROBLEM_JSON).entity(this);
    }
}
