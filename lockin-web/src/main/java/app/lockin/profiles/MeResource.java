package app.lockin.profiles;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import app.lockin.rest.JsonFields;
import app.lockin.rest.Problem;
import app.lockin.security.Caller;

@Path("me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "profiles", description = "The caller's own profile")
public class MeResource {

    @Inject
    Caller caller;

    @Inject
    Profiles profiles;

    @Inject
    Validator validator;

    @GET
    @Operation(summary = "The caller's profile with their group memberships",
            description = "The first call with a valid token creates the profile.")
    @APIResponse(responseCode = "200", description = "The profile",
            content = @Content(schema = @Schema(implementation = ProfileResponse.class)))
    @APIResponse(responseCode = "401", description = "No valid token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ProfileResponse me() {
        return ProfileResponse.of(profiles.me(caller.profileId()));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the caller's display name or avatar",
            description = "Absent fields stay unchanged. Unknown or read-only fields answer 422.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ProfilePatch.class)))
    @APIResponse(responseCode = "200", description = "The updated profile",
            content = @Content(schema = @Schema(implementation = ProfileResponse.class)))
    @APIResponse(responseCode = "400", description = "The body is not JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A field is invalid, unknown or read-only",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ProfileResponse update(JsonObject body) {
        ProfilePatch.Read read = ProfilePatch.from(JsonFields.of(body, ProfilePatch.WRITABLE, ProfilePatch.READ_ONLY));
        var violations = validator.validate(read.patch());
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return ProfileResponse.of(profiles.update(caller.profileId(), read.changes()));
    }
}
