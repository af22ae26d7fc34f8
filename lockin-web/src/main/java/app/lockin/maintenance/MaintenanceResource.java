package app.lockin.maintenance;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import app.lockin.rules.Forbidden;
import app.lockin.security.Caller;

/** Operations for the people in the Cognito group {@code LOCKIN_ADMIN_GROUP} (default {@code admin}). */
@ApplicationScoped
@Path("maintenance")
@Produces(MediaType.APPLICATION_JSON)
public class MaintenanceResource {

    @Inject
    Caller caller;

    @Inject
    Archival archival;

    @Inject
    @ConfigProperty(name = "LOCKIN_ADMIN_GROUP", defaultValue = "admin")
    String adminGroup;

    /** How many groups the run archived, and how many it could not (each logged with its id). */
    public record Archived(int archived, int failed) {
    }

    /** Runs the archival now, as the timer does; answers how many groups it archived. */
    @POST
    @Path("archive-expired-groups")
    public Archived archiveExpiredGroups() {
        if (!caller.inGroup(adminGroup)) {
            throw new Forbidden("Only LockIN administrators can run maintenance.");
        }
        Archival.Run run = archival.archiveExpiredGroups();
        return new Archived(run.archived(), run.failed().size());
    }
}
