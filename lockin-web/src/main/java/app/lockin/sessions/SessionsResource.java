package app.lockin.sessions;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;

import app.lockin.rest.OptionalBody;
import app.lockin.rest.Representation;
import app.lockin.sessions.SessionRequests.NewSession;
import app.lockin.sessions.SessionRequests.NewTimeLog;
import app.lockin.sessions.SessionRequests.Transition;
import app.lockin.sessions.SessionRequests.VoidRequest;
import app.lockin.security.CallerToken;

/** Focus sessions: {@code /api/sessions}, their state changes ({@code :start} ...) and time logs. */
@ApplicationScoped
@Path("sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    static final String ID = "{id: [^/:]+}";

    @Context
    SecurityContext security;

    @Inject
    FocusSessions sessions;

    @Inject
    LogModeration moderation;

    /** The body is optional (a session of one's own): no body, or an empty one, is {@code {}}. */
    @POST
    public Response create(@OptionalBody @Representation(SessionResponse.class) NewSession request) {
        SessionResponse created = sessions.create(CallerToken.profileOf(security), request.groupId());
        return Response.created(URI.create("/api/sessions/" + created.id())).entity(created).build();
    }

    /**
     * The sessions the caller hosts or takes part in, newest first, in pages
     * (keyset, {@code Link: rel="next"}); {@code status} narrows them (a second
     * device asks for {@code status=running}).
     */
    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("cursor_created_at") String cursorCreatedAt, @QueryParam("cursor_id") String cursorId) {
        SessionPage query = SessionPage.of(status, limit, cursorCreatedAt, cursorId);
        return query.answer(sessions.mine(CallerToken.profileOf(security), query.status(), query.after(), query.size()),
                UriBuilder.fromPath("/api/sessions"));
    }

    @GET
    @Path(ID)
    public SessionResponse get(@PathParam("id") UUID id) {
        return sessions.get(CallerToken.profileOf(security), id);
    }

    @GET
    @Path(ID + "/participants")
    public List<ParticipantResponse> participants(@PathParam("id") UUID id) {
        return sessions.participants(CallerToken.profileOf(security), id);
    }

    @POST
    @Path(ID + ":join")
    public SessionResponse join(@PathParam("id") UUID id) {
        return sessions.join(CallerToken.profileOf(security), id);
    }

    @POST
    @Path(ID + ":leave")
    public SessionResponse leave(@PathParam("id") UUID id) {
        return sessions.leave(CallerToken.profileOf(security), id);
    }

    @POST
    @Path(ID + ":start")
    public SessionResponse start(@PathParam("id") UUID id, @OptionalBody Transition body) {
        return sessions.start(CallerToken.profileOf(security), id, body.at());
    }

    @POST
    @Path(ID + ":pause")
    public SessionResponse pause(@PathParam("id") UUID id, @OptionalBody Transition body) {
        return sessions.pause(CallerToken.profileOf(security), id, body.at());
    }

    @POST
    @Path(ID + ":resume")
    public SessionResponse resume(@PathParam("id") UUID id, @OptionalBody Transition body) {
        return sessions.resume(CallerToken.profileOf(security), id, body.at());
    }

    @POST
    @Path(ID + ":stop")
    public SessionResponse stop(@PathParam("id") UUID id, @OptionalBody Transition body) {
        return sessions.stop(CallerToken.profileOf(security), id, body.at());
    }

    @GET
    @Path(ID + "/logs/{log_id}")
    public TimeLogResponse timeLog(@PathParam("id") UUID id, @PathParam("log_id") UUID logId) {
        return sessions.timeLog(CallerToken.profileOf(security), id, logId);
    }

    /** The group's owner or an admin voids a member's log: it counts nowhere in the group any more. */
    @POST
    @Path(ID + "/logs/{log_id: [^/:]+}:void")
    @Consumes(MediaType.APPLICATION_JSON)
    public TimeLogResponse voidLog(@PathParam("id") UUID id, @PathParam("log_id") UUID logId,
            @Valid @Representation(TimeLogResponse.class) VoidRequest body) {
        return moderation.voidLog(CallerToken.profileOf(security), id, logId, body.reason());
    }

    /** The group's owner or an admin restores a voided log. */
    @POST
    @Path(ID + "/logs/{log_id: [^/:]+}:unvoid")
    public TimeLogResponse unvoidLog(@PathParam("id") UUID id, @PathParam("log_id") UUID logId) {
        return moderation.restore(CallerToken.profileOf(security), id, logId);
    }

    @POST
    @Path(ID + "/logs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response log(@PathParam("id") UUID id, @Valid @Representation(TimeLogResponse.class) NewTimeLog body) {
        TimeLogResponse log = sessions.log(CallerToken.profileOf(security), id, body.startedAt(), body.endedAt());
        return Response.created(URI.create("/api/sessions/" + id + "/logs/" + log.id())).entity(log).build();
    }
}
