package app.lockin.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The REST API under {@code /api}: every path needs a bearer token (see {@code BearerAuthentication}). */
@ApplicationPath("api")
@OpenAPIDefinition(
        info = @Info(title = "LockIN API", version = "1.0",
                description = """
                        The API behind the LockIN mobile app: focus groups, focus sessions and a live \
                        leaderboard. JSON fields are snake_case, ids are UUIDs, timestamps are RFC 3339 \
                        in UTC (millisecond precision). Every /api call needs `Authorization: Bearer <JWT>` \
                        with a Cognito access or id token. Errors are application/problem+json (RFC 9457) \
                        with `detail`, and `errors[]` naming each invalid field on 422."""),
        security = @SecurityRequirement(name = "cognito"))
@SecurityScheme(securitySchemeName = "cognito", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "An AWS Cognito access token (token_use=access, client_id of the app) or id token "
                + "(token_use=id, aud of the app), RS256-signed by the user pool.")
public class LockinApi extends Application {
}
