package app.lockin.groups;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

import app.lockin.limits.Counted;
import app.lockin.limits.Limit;
import app.lockin.notifications.NotificationResponse;
import app.lockin.rest.Paging;
import app.lockin.rest.Representation;
import app.lockin.rest.RequestBodies;
import app.lockin.rest.SnakeCase;
import app.lockin.security.CallerToken;

/**
 * Groups: {@code /api/groups}. Custom methods use a colon
 * ({@code POST /api/groups/{id}:clone}); the id template excludes the colon so
 * that {@code GET /api/groups/{id}} and the custom methods route side by side.
 */
@ApplicationScoped
@Path("groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource {

    static final String ID = "{id: [^/:]+}";

    @Context
    SecurityContext security;

    @Inject
    Groups groups;

    @Inject
    Invites invites;

    @Inject
    RequestBodies bodies;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @Representation(GroupResponse.class) NewGroup request) {
        return created(groups.create(CallerToken.profileOf(security), request));
    }

    /** The caller's groups, newest first, in keyset pages ({@code Link: rel="next"}). */
    @GET
    public Response mine(@QueryParam("status") String status, @QueryParam("limit") String limit,
            @QueryParam("cursor_created_at") String cursorCreatedAt, @QueryParam("cursor_id") String cursorId) {
        Optional<GroupStatus> filter = Optional.ofNullable(status).map(value -> SnakeCase.constant(GroupStatus.class, value)
                .orElseThrow(() -> new BadRequestException("status must be pending, active or archived")));
        int size = Paging.limit(limit, 50, 100);
        var after = Paging.after(cursorCreatedAt, cursorId).map(c -> new Groups.Cursor(c.createdAt(), c.id()));
        UriBuilder next = UriBuilder.fromPath("/api/groups");
        filter.ifPresent(s -> next.queryParam("status", status));
        return Paging.answer(groups.mine(CallerToken.profileOf(security), filter, after, size), size, next,
                group -> new Paging.After(group.createdAt(), group.id()));
    }

    @GET
    @Path(ID)
    public GroupResponse get(@PathParam("id") UUID id) {
        return groups.get(CallerToken.profileOf(security), id);
    }

    /** A JSON Merge Patch of the group's {@link GroupSettings}. */
    @PATCH
    @Path(ID)
    @Consumes({MediaType.APPLICATION_JSON, RequestBodies.MERGE_PATCH})
    public GroupResponse update(@PathParam("id") UUID id, JsonValue patch) {
        return groups.update(CallerToken.profileOf(security), id,
                current -> bodies.merge(current, patch, GroupSettings.class, GroupResponse.class));
    }

    @POST
    @Path(ID + ":archive")
    public GroupResponse archive(@PathParam("id") UUID id) {
        return groups.archive(CallerToken.profileOf(security), id);
    }

    @POST
    @Path(ID + ":clone")
    public Response cloneGroup(@PathParam("id") UUID id) {
        return created(groups.cloneGroup(CallerToken.profileOf(security), id));
    }

    @POST
    @Path(ID + ":invite")
    @Counted(Limit.INVITES)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response invite(@PathParam("id") UUID id, InviteRequest request) {
        var invite = invites.invite(CallerToken.profileOf(security), id, Optional.ofNullable(request.recipientId()),
                request.checkedEmail());
        return Response.created(URI.create("/api/notifications/" + invite.id()))
                .entity(invite)
                .build();
    }

    private static Response created(GroupResponse group) {
        return Response.created(URI.create("/api/groups/" + group.id())).entity(group).build();
    }
}
