package app.lockin.groups;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.rest.JsonFields;
import app.lockin.rules.Invalid;
import app.lockin.security.CallerToken;

/** The members of a group: {@code /api/groups/{id}/members}. */
@ApplicationScoped
@Path("groups/" + GroupsResource.ID + "/members")
@Produces(MediaType.APPLICATION_JSON)
public class MembersResource {

    private static final Set<String> READ_ONLY = Set.of("display_name", "avatar_url", "joined_at");

    @Context
    SecurityContext security;

    @Inject
    Members members;

    @GET
    public List<MemberResponse> list(@PathParam("id") UUID groupId) {
        return members.list(CallerToken.profileOf(security), groupId).stream().map(MemberResponse::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("id") UUID groupId, JsonValue body) {
        JsonFields fields = JsonFields.of(body, Set.of("user_id", "role"), READ_ONLY);
        var userId = fields.uuid("user_id");
        var role = fields.constant("role", EnumSet.allOf(MemberRole.class));
        fields.check();
        Membership added = members.add(CallerToken.profileOf(security), groupId,
                userId.orElseThrow(() -> new Invalid("user_id", "is required")), role.orElse(MemberRole.MEMBER));
        return Response.created(URI.create("/api/groups/" + groupId + "/members/" + added.userId()))
                .entity(MemberResponse.of(added))
                .build();
    }

    @PATCH
    @Path("{user_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MemberResponse update(@PathParam("id") UUID groupId, @PathParam("user_id") UUID userId, JsonValue body) {
        JsonFields fields = JsonFields.of(body, Set.of("override_period_target_minutes", "role"), READ_ONLY);
        var target = fields.nullableInteger("override_period_target_minutes");
        var role = fields.constant("role", EnumSet.allOf(MemberRole.class));
        fields.check();
        return MemberResponse.of(members.update(CallerToken.profileOf(security), groupId, userId, target, role));
    }

    @DELETE
    @Path("{user_id}")
    public Response remove(@PathParam("id") UUID groupId, @PathParam("user_id") UUID userId) {
        members.remove(CallerToken.profileOf(security), groupId, userId);
        return Response.noContent().build();
    }
}
