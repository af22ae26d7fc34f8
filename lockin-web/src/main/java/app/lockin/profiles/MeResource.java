package app.lockin.profiles;

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

import app.lockin.rest.JsonFields;
import app.lockin.rest.Validation;
import app.lockin.security.CallerToken;

@ApplicationScoped
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Context
    SecurityContext security;

    @Inject
    Profiles profiles;

    @Inject
    Validation validation;

    @GET
    public ProfileResponse me() {
        return ProfileResponse.of(profiles.me(CallerToken.profileOf(security)));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public ProfileResponse update(JsonValue body) {
        ProfilePatch.Read read = ProfilePatch.from(JsonFields.of(body, ProfilePatch.WRITABLE, ProfilePatch.READ_ONLY));
        validation.check(read.patch());
        return ProfileResponse.of(profiles.update(CallerToken.profileOf(security), read.changes()));
    }
}
