package app.lockin.progress;

import java.util.List;
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
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.SseEventSink;

import app.lockin.live.CurrentBoards;
import app.lockin.live.LiveStreams;
import app.lockin.rest.Paging;
import app.lockin.security.CallerToken;

/**
 * A group's leaderboards: the live one ({@code /api/groups/{id}/progress/current}
 * and {@code /progress/stream}) and that of any period of its life
 * ({@code /progress?at=}).
 */
@ApplicationScoped
@Path("groups/{id: [^/:]+}/progress")
@Produces(MediaType.APPLICATION_JSON)
public class ProgressResource {

    @Context
    SecurityContext security;

    @Inject
    Leaderboard leaderboard;

    @Inject
    CurrentBoards boards;

    @Inject
    LiveStreams streams;

    /**
     * One entry per member, highest seconds_done first: the board this
     * instance last read for the group while it is under a second old and
     * nothing changed since ({@link CurrentBoards}); the caller's own writes
     * always show.
     */
    @GET
    @Path("current")
    public List<ProgressEntry> current(@PathParam("id") UUID groupId) {
        return boards.current(CallerToken.profileOf(security), groupId);
    }

    /**
     * The board of the period containing {@code at} (RFC 3339), as it stood at
     * that period's end (or now, while it runs): 400 without {@code at}, 404
     * for a non-member, 422 when {@code at} is outside the group's life so far.
     */
    @GET
    public List<ProgressEntry> at(@PathParam("id") UUID groupId, @QueryParam("at") String at) {
        return leaderboard.at(CallerToken.profileOf(security), groupId, Paging.instant("at", at));
    }

    /**
     * The board at once, then again after every change (at most four a
     * second), milestones, pings, and {@code end} before the server closes;
     * 401/404 as {@link #current} before the stream opens.
     */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@PathParam("id") UUID groupId, @Context SseEventSink sink) {
        streams.openBoard(CallerToken.of(security), groupId, sink);
    }
}
