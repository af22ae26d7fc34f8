package app.lockin.notifications;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.rest.RequestBodies;
import app.lockin.security.CallerToken;

/** What the caller wants pushed, and their quiet hours: {@code /api/me/notification-settings}. */
@ApplicationScoped
@Path("me/notification-settings")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationSettingsResource {

    @Context
    SecurityContext security;

    @Inject
    NotificationSettingsStore settings;

    @Inject
    RequestBodies bodies;

    @GET
    public NotificationSettings get() {
        return settings.of(CallerToken.profileOf(security));
    }

    /** A JSON Merge Patch of one's {@link NotificationSettings}. */
    @PATCH
    @Consumes({MediaType.APPLICATION_JSON, RequestBodies.MERGE_PATCH})
    public NotificationSettings update(JsonValue patch) {
        return settings.update(CallerToken.profileOf(security),
                current -> bodies.merge(current, patch, NotificationSettings.class, null));
    }
}
