package app.lockin.groups;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.security.CallerToken;

/** Using a join link: {@code POST /api/links/{code}:join}, for anyone who holds it. */
@ApplicationScoped
@Path("links")
@Produces(MediaType.APPLICATION_JSON)
public class LinksResource {

    @Context
    SecurityContext security;

    @Inject
    JoinLinks links;

    @POST
    @Path("{code: [^/:]+}:join")
    public Response join(@PathParam("code") String code) {
        JoinLinks.Joined joined = links.join(CallerToken.profileOf(security), code);
        return Response.created(URI.create("/api/groups/" + joined.groupId() + "/members/" + joined.member().userId()))
                .entity(joined.member()).build();
    }
}
