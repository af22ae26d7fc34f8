package app.lockin.notifications;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.groups.Invites;
import app.lockin.groups.MemberResponse;
import app.lockin.security.CallerToken;

/** Answering an invite of one's inbox: {@code /api/invites/{id}:accept} and {@code :decline}. */
@ApplicationScoped
@Path("invites")
@Produces(MediaType.APPLICATION_JSON)
public class InvitesResource {

    @Context
    SecurityContext security;

    @Inject
    Invites invites;

    @POST
    @Path(NotificationsResource.ID + ":accept")
    public MemberResponse accept(@PathParam("id") UUID id) {
        return invites.accept(CallerToken.profileOf(security), id);
    }

    @POST
    @Path(NotificationsResource.ID + ":decline")
    public NotificationResponse decline(@PathParam("id") UUID id) {
        return invites.decline(CallerToken.profileOf(security), id);
    }
}
