package app.lockin.sessions;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;

import app.lockin.security.CallerToken;

/** A group's sessions, {@code /api/groups/{id}/sessions}: what its members can join. */
@ApplicationScoped
@Path("groups/{id: [^/:]+}/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class GroupSessionsResource {

    @Context
    SecurityContext security;

    @Inject
    FocusSessions sessions;

    /** Newest first, in keyset pages like {@code /api/sessions}, each with its participant_count; for members. */
    @GET
    public Response list(@PathParam("id") UUID groupId, @QueryParam("status") String status,
            @QueryParam("limit") String limit, @QueryParam("cursor_created_at") String cursorCreatedAt,
            @QueryParam("cursor_id") String cursorId) {
        SessionPage query = SessionPage.of(status, limit, cursorCreatedAt, cursorId);
        return query.answer(sessions.ofGroup(CallerToken.profileOf(security), groupId, query.status(), query.after(),
                query.size()), UriBuilder.fromPath("/api/groups/{id}/sessions").resolveTemplate("id", groupId));
    }
}
