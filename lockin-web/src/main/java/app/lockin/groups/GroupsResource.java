package app.lockin.groups;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
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

import app.lockin.notifications.NotificationResponse;
import app.lockin.rest.JsonFields;
import app.lockin.rest.Validation;
import app.lockin.rest.Wire;
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

    private static final Set<String> PATCHABLE = Set.of("name", "description", "end_at", "period_target_minutes");

    @Context
    SecurityContext security;

    @Inject
    Groups groups;

    @Inject
    Invites invites;

    @Inject
    Validation validation;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonValue body) {
        GroupCreate request = validation.check(GroupCreate.from(JsonFields.of(body, GroupCreate.FIELDS, GroupCreate.READ_ONLY)));
        return created(groups.create(CallerToken.profileOf(security), request.toNewGroup()));
    }

    @GET
    public List<GroupResponse> mine(@QueryParam("status") String status) {
        Optional<GroupStatus> filter = Optional.ofNullable(status).map(GroupsResource::status);
        return groups.mine(CallerToken.profileOf(security), filter).stream().map(GroupResponse::of).toList();
    }

    @GET
    @Path(ID)
    public GroupResponse get(@PathParam("id") UUID id) {
        return GroupResponse.of(groups.get(CallerToken.profileOf(security), id));
    }

    @PATCH
    @Path(ID)
    @Consumes(MediaType.APPLICATION_JSON)
    public GroupResponse update(@PathParam("id") UUID id, JsonValue body) {
        JsonFields fields = JsonFields.of(body, PATCHABLE, GroupCreate.READ_ONLY);
        GroupChanges changes = new GroupChanges(fields.string("name"), fields.nullableString("description"),
                fields.instant("end_at"), fields.integer("period_target_minutes"));
        fields.check();
        return GroupResponse.of(groups.update(CallerToken.profileOf(security), id, changes));
    }

    @POST
    @Path(ID + ":archive")
    public GroupResponse archive(@PathParam("id") UUID id) {
        return GroupResponse.of(groups.archive(CallerToken.profileOf(security), id));
    }

    @POST
    @Path(ID + ":clone")
    public Response cloneGroup(@PathParam("id") UUID id) {
        return created(groups.cloneGroup(CallerToken.profileOf(security), id));
    }

    @POST
    @Path(ID + ":invite")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response invite(@PathParam("id") UUID id, JsonValue body) {
        InviteRequest request = InviteRequest.from(JsonFields.of(body, InviteRequest.FIELDS, Set.of()));
        var invite = invites.invite(CallerToken.profileOf(security), id, request.recipientId(), request.email());
        return Response.created(URI.create("/api/notifications/" + invite.id()))
                .entity(NotificationResponse.of(invite))
                .build();
    }

    private static Response created(GroupView view) {
        return Response.created(URI.create("/api/groups/" + view.group().id())).entity(GroupResponse.of(view)).build();
    }

    private static GroupStatus status(String value) {
        return EnumSet.allOf(GroupStatus.class).stream()
                .filter(s -> Wire.name(s).equals(value))
                .findFirst()
                .orElseThrow(() -> new BadRequestException("status must be pending, active or archived"));
    }
}
