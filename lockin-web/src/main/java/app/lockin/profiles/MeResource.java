package app.lockin.profiles;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.sse.SseEventSink;

import app.lockin.live.LiveStreams;
import app.lockin.progress.FocusStats;
import app.lockin.progress.GroupFocus;
import app.lockin.progress.Presence;
import app.lockin.rest.Attachments;
import app.lockin.rest.Paging;
import app.lockin.rest.RequestBodies;
import app.lockin.security.CallerToken;
import app.lockin.security.KnownProfiles;

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

    @Inject
    PersonalData personalData;

    @Inject
    KnownProfiles knownProfiles;

    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    /** One's profile with the newest memberships; {@code Link: rel="next"} to {@code /api/me/memberships} when more remain. */
    @GET
    public Response me() {
        return withMembershipsLink(profiles.me(CallerToken.profileOf(security)));
    }

    /** A JSON Merge Patch of one's {@link ProfileSettings}. */
    @PATCH
    @Consumes({MediaType.APPLICATION_JSON, RequestBodies.MERGE_PATCH})
    public Response update(JsonValue patch) {
        return withMembershipsLink(profiles.update(CallerToken.profileOf(security),
                current -> bodies.merge(current, patch, ProfileSettings.class, ProfileResponse.class)));
    }

    /**
     * Erases the caller's account at once and for good (DOMAIN.md "A person's
     * data", {@link Profiles#erase}): 204; 409 naming the groups they own with
     * other members ({@code owned_groups}). Their token's subject signing in
     * again starts a new, empty profile.
     */
    @DELETE
    public Response erase() {
        UUID caller = CallerToken.profileOf(security);
        profiles.erase(caller);
        knownProfiles.forget(caller);
        return Response.noContent().build();
    }

    /** One's memberships, newest first, in keyset pages (those after the ones {@code /api/me} shows). */
    @GET
    @Path("memberships")
    public Response memberships(@QueryParam("limit") String limit, @QueryParam("cursor_created_at") String cursorJoinedAt,
            @QueryParam("cursor_id") String cursorGroupId) {
        int size = Paging.limit(limit, Profiles.MEMBERSHIPS_SHOWN, 100);
        var after = Paging.after(cursorJoinedAt, cursorGroupId).map(c -> new Profiles.Cursor(c.createdAt(), c.id()));
        return Paging.answer(profiles.memberships(CallerToken.profileOf(security), after, size), size,
                UriBuilder.fromPath("/api/me/memberships"), MeResource::cursorOf);
    }

    private static Response withMembershipsLink(ProfileResponse profile) {
        List<ProfileResponse.MembershipResponse> found = profile.memberships();
        if (found.size() <= Profiles.MEMBERSHIPS_SHOWN) {
            return Response.ok(profile).build();
        }
        List<ProfileResponse.MembershipResponse> shown = found.subList(0, Profiles.MEMBERSHIPS_SHOWN);
        return Paging.next(Response.ok(profile.withMemberships(shown)), UriBuilder.fromPath("/api/me/memberships"),
                Profiles.MEMBERSHIPS_SHOWN, cursorOf(shown.get(shown.size() - 1))).build();
    }

    private static Paging.After cursorOf(ProfileResponse.MembershipResponse membership) {
        return new Paging.After(membership.joinedAt(), membership.groupId());
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

    /**
     * Everything LockIN holds about the caller, as a JSON file written as it
     * is read ({@link PersonalData}): memory stays flat whatever their history.
     */
    @GET
    @Path("export")
    public Response export(@Context HttpServletRequest request) {
        UUID caller = CallerToken.profileOf(security);
        String filename = "lockin-export-" + LocalDate.now(ZoneOffset.UTC) + ".json";
        return Attachments.streamed(request, MediaType.APPLICATION_JSON + "; charset=utf-8", filename, out -> {
            // not closed on a failure: closing would finish an incomplete document
            JsonGenerator json = JSON.createGenerator(out);
            personalData.export(caller, json);
            json.flush();
        });
    }
}
