package app.lockin.sessions;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.BadRequestException;
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

import app.lockin.rest.JsonBody;
import app.lockin.rest.JsonFields;
import app.lockin.rest.Paging;
import app.lockin.rest.Wire;
import app.lockin.rules.FieldError;
import app.lockin.rules.Invalid;
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

    /** The body is optional (a session of one's own): no body, or an empty one, is {@code {}}. */
    @POST
    public Response create(String body) {
        JsonValue parsed = JsonBody.parseOptional(body);
        JsonValue request = parsed == null ? JsonValue.EMPTY_JSON_OBJECT : parsed;
        JsonFields fields = JsonFields.of(request, Set.of("group_id"), Set.of("id", "creator_id", "status", "started_at",
                "ended_at", "created_at", "focused_seconds"));
        var groupId = fields.nullableUuid("group_id").flatMap(id -> id);
        fields.check();
        SessionView created = sessions.create(CallerToken.profileOf(security), groupId.orElse(null));
        return Response.created(URI.create("/api/sessions/" + created.session().id()))
                .entity(SessionResponse.of(created))
                .build();
    }

    /**
     * The sessions the caller hosts or takes part in, newest first, in pages
     * (keyset, {@code Link: rel="next"}); {@code status} narrows them (a second
     * device asks for {@code status=running}).
     */
    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("cursor_created_at") String cursorCreatedAt, @QueryParam("cursor_id") String cursorId) {
        SessionStatus only = status == null ? null : Wire.constant(SessionStatus.class, status)
                .orElseThrow(() -> new BadRequestException("status must be one of " + Wire.names(SessionStatus.class)));
        int size = Paging.limit(limit, 20, 100);
        var after = Paging.after(cursorCreatedAt, cursorId).map(c -> new FocusSessions.Cursor(c.createdAt(), c.id()));

        List<SessionView> page = sessions.mine(CallerToken.profileOf(security), only, after, size);
        boolean more = page.size() > size;
        List<SessionView> shown = more ? page.subList(0, size) : page;
        Response.ResponseBuilder answer = Response.ok(shown.stream().map(SessionResponse::of).toList());
        if (more) {
            FocusSession last = shown.get(shown.size() - 1).session();
            UriBuilder next = UriBuilder.fromPath("/api/sessions")
                    .queryParam("limit", size)
                    .queryParam("cursor_created_at", DateTimeFormatter.ISO_INSTANT.format(last.createdAt()))
                    .queryParam("cursor_id", last.id());
            if (only != null) {
                next.queryParam("status", status);
            }
            answer.link(next.build(), "next");
        }
        return answer.build();
    }

    @GET
    @Path(ID)
    public SessionResponse get(@PathParam("id") UUID id) {
        return SessionResponse.of(sessions.get(CallerToken.profileOf(security), id));
    }

    @GET
    @Path(ID + "/participants")
    public List<ParticipantResponse> participants(@PathParam("id") UUID id) {
        return sessions.participants(CallerToken.profileOf(security), id).stream().map(ParticipantResponse::of).toList();
    }

    @POST
    @Path(ID + ":start")
    public SessionResponse start(@PathParam("id") UUID id, String body) {
        return SessionResponse.of(sessions.start(CallerToken.profileOf(security), id, deviceTime(body)));
    }

    @POST
    @Path(ID + ":pause")
    public SessionResponse pause(@PathParam("id") UUID id, String body) {
        return SessionResponse.of(sessions.pause(CallerToken.profileOf(security), id, deviceTime(body)));
    }

    @POST
    @Path(ID + ":resume")
    public SessionResponse resume(@PathParam("id") UUID id, String body) {
        return SessionResponse.of(sessions.resume(CallerToken.profileOf(security), id, deviceTime(body)));
    }

    @POST
    @Path(ID + ":stop")
    public SessionResponse stop(@PathParam("id") UUID id, String body) {
        return SessionResponse.of(sessions.stop(CallerToken.profileOf(security), id, deviceTime(body)));
    }

    /** The optional body of a state change: {@code {"at": "2026-11-24T09:30:00Z"}}, when the device did it. */
    private static Instant deviceTime(String body) {
        JsonValue value = JsonBody.parseOptional(body);
        if (value == null) {
            return null;
        }
        JsonFields fields = JsonFields.of(value, Set.of("at"), Set.of());
        Optional<Instant> at = fields.instant("at");
        fields.check();
        return at.orElse(null);
    }

    @POST
    @Path(ID + "/logs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response log(@PathParam("id") UUID id, JsonValue body) {
        JsonFields fields = JsonFields.of(body, Set.of("started_at", "ended_at"),
                Set.of("id", "session_id", "user_id", "duration_seconds", "source"));
        var startedAt = fields.instant("started_at");
        var endedAt = fields.instant("ended_at");
        fields.check();
        if (startedAt.isEmpty() || endedAt.isEmpty()) {
            throw new Invalid(java.util.stream.Stream.of("started_at", "ended_at")
                    .filter(name -> !fields.has(name))
                    .map(name -> new FieldError(name, "is required"))
                    .toList());
        }
        TimeLog log = sessions.log(CallerToken.profileOf(security), id, startedAt.get(), endedAt.get());
        return Response.created(URI.create("/api/sessions/" + id + "/logs/" + log.id()))
                .entity(TimeLogResponse.of(log, id))
                .build();
    }
}
