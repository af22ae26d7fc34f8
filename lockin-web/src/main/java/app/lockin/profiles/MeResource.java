package app.lockin.profiles;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.SseEventSink;

import app.lockin.live.LiveStreams;
import app.lockin.progress.FocusStats;
import app.lockin.progress.GroupFocus;
import app.lockin.progress.Presence;
import app.lockin.rest.Paging;
import app.lockin.rest.RequestBodies;
import app.lockin.security.CallerToken;

@ApplicationScoped
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Context
    SecurityContext security;

    @Inject
    Profiles profiles;

    @Inject
    RequestBodies bodies;

    @Inject
    Presence presence;

    @Inject
    LiveStreams streams;

    @Inject
    FocusStats stats;

    @GET
    public ProfileResponse me() {
        return profiles.me(CallerToken.profileOf(security));
    }

    /** A JSON Merge Patch of one's {@link ProfileSettings}. */
    @PATCH
    @Consumes({MediaType.APPLICATION_JSON, RequestBodies.MERGE_PATCH})
    public ProfileResponse update(JsonValue patch) {
        return profiles.update(CallerToken.profileOf(security), current -> bodies.merge(current, patch, ProfileSettings.class, ProfileResponse.class));
    }

    /** Who is focusing now in each of the caller's active groups. */
    @GET
    @Path("focus")
    public List<GroupFocus> focus() {
        return presence.focus(CallerToken.profileOf(security));
    }

    /** The caller's own news: new notifications, and presence in their groups. */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context SseEventSink sink) {
        streams.openMine(CallerToken.of(security), sink);
    }

    /**
     * The caller's focused seconds per local day from {@code from} to
     * {@code to} (dates, both included, at most 366 days) in {@code timezone}
     * (IANA, default UTC), their total, the best day and the current run of
     * days with any focus.
     */
    @GET
    @Path("stats")
    public FocusStats.Summary stats(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("timezone") String timezone) {
        return stats.of(CallerToken.profileOf(security), Paging.date("from", from), Paging.date("to", to),
                timezone == null ? "UTC" : timezone);
    }
}
