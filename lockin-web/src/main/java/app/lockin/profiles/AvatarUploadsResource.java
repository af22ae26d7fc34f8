package app.lockin.profiles;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.security.CallerToken;

/** Avatar uploads: a presigned PUT straight to storage, always under the caller's own key prefix. */
@ApplicationScoped
@Path("profiles/avatar")
@Produces(MediaType.APPLICATION_JSON)
public class AvatarUploadsResource {

    @Context
    SecurityContext security;

    @Inject
    AvatarUploads uploads;

    @POST
    @Path("upload-url")
    @Consumes(MediaType.APPLICATION_JSON)
    public AvatarUploadResponse uploadUrl(@Valid AvatarUploadRequest request) {
        return AvatarUploadResponse.of(uploads.issue(CallerToken.profileOf(security), request.format(), request.contentLength()));
    }
}
