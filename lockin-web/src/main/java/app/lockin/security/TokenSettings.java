package app.lockin.security;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which tokens are accepted: the issuer, where its signing keys are (a JWKS
 * URL or file), and the app client they must be issued to.
 *
 * <p>A Cognito pool is named by {@code COGNITO_REGION} and
 * {@code COGNITO_USER_POOL_ID} (issuer
 * {@code https://cognito-idp.<region>.amazonaws.com/<pool>}, keys at its
 * {@code /.well-known/jwks.json}); {@code LOCKIN_JWT_ISSUER} and
 * {@code LOCKIN_JWKS_LOCATION} replace them for local runs and tests.
 * {@code COGNITO_CLIENT_ID} must be set with a Cognito pool; without one
 * (local runs only), tokens of any client of the issuer are taken.
 */
public record TokenSettings(String issuer, URI jwks, Optional<String> clientId) {

    /** Settings from the configuration values, or empty with the reason when no issuer is configured. */
    public static TokenSettings from(Optional<String> region, Optional<String> userPoolId, Optional<String> clientId,
            Optional<String> localIssuer, Optional<String> localJwks) {
        Optional<String> cognitoIssuer = userPoolId.map(pool -> "https://cognito-idp."
                + region.orElseGet(() -> pool.contains("_") ? pool.substring(0, pool.indexOf('_')) : "us-east-1")
                + ".amazonaws.com/" + pool);
        String issuer = localIssuer.or(() -> cognitoIssuer).orElseThrow(() -> new IllegalStateException(
                "No token issuer configured: set COGNITO_REGION, COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID "
                        + "(or LOCKIN_JWT_ISSUER and LOCKIN_JWKS_LOCATION for local tokens)"));
        URI jwks = localJwks.map(TokenSettings::location)
                .orElseGet(() -> URI.create(issuer.replaceAll("/+$", "") + "/.well-known/jwks.json"));
        if (localIssuer.isEmpty() && clientId.isEmpty()) {
            throw new IllegalStateException("COGNITO_CLIENT_ID is required with a Cognito user pool");
        }
        return new TokenSettings(issuer, jwks, clientId);
    }

    /** A JWKS location: an http(s) or file URL, or a file path. */
    static URI location(String value) {
        if (value.startsWith("https://") || value.startsWith("http://") || value.startsWith("file:")) {
            return URI.create(value);
        }
        return Path.of(value).toAbsolutePath().toUri();
    }
}
