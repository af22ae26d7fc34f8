package app.lockin.maintenance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.rules.Forbidden;
import app.lockin.security.Roles;

/**
 * Operations for LockIN administrators ({@link Roles#ADMIN}: the Cognito
 * group {@code LOCKIN_ADMIN_GROUP}, default {@code admin}). The role is read
 * from the request's SecurityContext; not {@code @RolesAllowed}, which
 * Payara enforces with the container's caller, not this context (README).
 */
@ApplicationScoped
@Path("maintenance")
@Produces(MediaType.APPLICATION_JSON)
public class MaintenanceResource {

    @Inject
    Archival archival;

    @Context
    SecurityContext security;

    /** How many groups the run archived, and how many it could not (each logged with its id). */
    public record Archived(int archived, int failed) {
    }

    /** Runs the archival now, as the timer does; answers how many groups it archived. */
    @POST
    @Path("archive-expired-groups")
    public Archived archiveExpiredGroups() {
        if (!security.isUserInRole(Roles.ADMIN)) {
            throw new Forbidden("Only LockIN administrators can run maintenance.");
        }
        Archival.Run run = archival.archiveExpiredGroups();
        return new Archived(run.archived(), run.failed().size());
    }
}
