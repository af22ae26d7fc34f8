package app.lockin.profiles;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import app.lockin.rest.JsonFields;
import app.lockin.rest.Validation;
import app.lockin.security.Caller;

@ApplicationScoped
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    Caller caller;

    @Inject
    Profiles profiles;

    @Inject
    Validation validation;

    @GET
    public ProfileResponse me() {
        return ProfileResponse.of(profiles.me(caller.profileId()));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public ProfileResponse update(JsonValue body) {
        ProfilePatch.Read read = ProfilePatch.from(JsonFields.of(body, ProfilePatch.WRITABLE, ProfilePatch.READ_ONLY));
        validation.check(read.patch());
        return ProfileResponse.of(profiles.update(caller.profileId(), read.changes()));
    }
}
