package app.lockin.groups;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.limits.Counted;
import app.lockin.limits.Limit;
import app.lockin.rest.OptionalBody;
import app.lockin.rest.Representation;
import app.lockin.security.CallerToken;

/** A group's join links: {@code /api/groups/{id}/links}, for its owner and admins. */
@ApplicationScoped
@Path("groups/" + GroupsResource.ID + "/links")
@Produces(MediaType.APPLICATION_JSON)
public class JoinLinksResource {

    @Context
    SecurityContext security;

    @Inject
    JoinLinks links;

    /** The body may be left out: a link for seven days with no limit of uses. */
    @POST
    @Counted(Limit.INVITES)
    public Response create(@PathParam("id") UUID groupId,
            @OptionalBody @Valid @Representation(JoinLinkResponse.class) NewJoinLink request) {
        JoinLinkResponse created = links.create(CallerToken.profileOf(security), groupId, request);
        return Response.created(URI.create("/api/groups/" + groupId + "/links/" + created.id())).entity(created).build();
    }

    @GET
    public List<JoinLinkResponse> list(@PathParam("id") UUID groupId) {
        return links.list(CallerToken.profileOf(security), groupId);
    }

    @GET
    @Path("{link_id}")
    public JoinLinkResponse get(@PathParam("id") UUID groupId, @PathParam("link_id") UUID linkId) {
        return links.get(CallerToken.profileOf(security), groupId, linkId);
    }

    @DELETE
    @Path("{link_id}")
    public Response revoke(@PathParam("id") UUID groupId, @PathParam("link_id") UUID linkId) {
        links.revoke(CallerToken.profileOf(security), groupId, linkId);
        return Response.noContent().build();
    }
}
