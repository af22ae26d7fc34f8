package app.lockin.groups;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
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

import app.lockin.rest.Representation;
import app.lockin.rest.RequestBodies;
import app.lockin.security.CallerToken;

/** The members of a group: {@code /api/groups/{id}/members}. */
@ApplicationScoped
@Path("groups/" + GroupsResource.ID + "/members")
@Produces(MediaType.APPLICATION_JSON)
public class MembersResource {

    @Context
    SecurityContext security;

    @Inject
    Members members;

    @Inject
    RequestBodies bodies;

    @GET
    public List<MemberResponse> list(@PathParam("id") UUID groupId) {
        return members.list(CallerToken.profileOf(security), groupId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("id") UUID groupId, @Valid @Representation(MemberResponse.class) NewMember request) {
        MemberResponse added = members.add(CallerToken.profileOf(security), groupId, request);
        return Response.created(URI.create("/api/groups/" + groupId + "/members/" + added.userId()))
                .entity(added)
                .build();
    }

    @GET
    @Path("{user_id}")
    public MemberResponse get(@PathParam("id") UUID groupId, @PathParam("user_id") UUID userId) {
        return members.get(CallerToken.profileOf(security), groupId, userId);
    }

    /** A JSON Merge Patch of the member's {@link MemberSettings}. */
    @PATCH
    @Path("{user_id}")
    @Consumes({MediaType.APPLICATION_JSON, RequestBodies.MERGE_PATCH})
    public MemberResponse update(@PathParam("id") UUID groupId, @PathParam("user_id") UUID userId, JsonValue patch) {
        return members.update(CallerToken.profileOf(security), groupId, userId,
                current -> bodies.merge(current, patch, MemberSettings.class, MemberResponse.class));
    }

    @DELETE
    @Path("{user_id}")
    public Response remove(@PathParam("id") UUID groupId, @PathParam("user_id") UUID userId) {
        members.remove(CallerToken.profileOf(security), groupId, userId);
        return Response.noContent().build();
    }
}
