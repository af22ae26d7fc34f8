package app.lockin.maintenance;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import app.lockin.security.Roles;

/**
 * Operations for LockIN administrators ({@link Roles#ADMIN}: the Cognito
 * group {@code LOCKIN_ADMIN_GROUP}, default {@code admin}), the role the
 * container knows the caller in ({@code BearerMechanism}).
 */
@ApplicationScoped
@Path("maintenance")
@Produces(MediaType.APPLICATION_JSON)
public class MaintenanceResource {

    @Inject
    Archival archival;

    /** How many groups the run archived, and how many it could not (each logged with its id). */
    public record Archived(int archived, int failed) {
    }

    /** Runs the archival now, as the timer does; answers how many groups it archived. */
    @POST
    @Path("archive-expired-groups")
    @RolesAllowed(Roles.ADMIN)
    public Archived archiveExpiredGroups() {
        Archival.Run run = archival.archiveExpiredGroups();
        return new Archived(run.archived(), run.failed().size());
    }
}
