package app.lockin.dev;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs tokens shaped like AWS Cognito's: RS256, a {@code kid} header and no
 * {@code typ}; access tokens carry {@code token_use=access},
 * {@code client_id} and {@code username} and no {@code aud}; id tokens carry
 * {@code token_use=id}, {@code aud} and the person's {@code email}/{@code name}.
 */
public final class TokenMint {

    private final RSAKey key;
    private final String issuer;
    private final String clientId;

    public TokenMint(RSAKey key, String issuer, String clientId) {
        this.key = key;
        this.issuer = issuer;
        this.clientId = clientId;
    }

    /** An access token for {@code username} (whose sub is derived from it), valid for {@code lifetime}. */
    public String accessToken(String subject, String username, Duration lifetime, List<String> groups) {
        return sign(access(subject, username, lifetime, groups).build());
    }

    /** The claims of a Cognito access token, to adjust before {@link #sign(JWTClaimsSet)}. */
    public JWTClaimsSet.Builder access(String subject, String username, Duration lifetime, List<String> groups) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("token_use", "access")
                .claim("scope", "aws.cognito.signin.user.admin")
                .claim("auth_time", now.getEpochSecond())
                .claim("client_id", clientId)
                .claim("username", username)
                .claim("origin_jti", UUID.randomUUID().toString())
                .claim("event_id", UUID.randomUUID().toString());
        if (groups != null && !groups.isEmpty()) {
            claims.claim("cognito:groups", groups);
        }
        return claims;
    }

    /** The claims of a Cognito id token, to adjust before {@link #sign(JWTClaimsSet)}. */
    public JWTClaimsSet.Builder id(String subject, String username, String email, String name, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(clientId)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("token_use", "id")
                .claim("auth_time", now.getEpochSecond())
                .claim("cognito:username", username)
                .claim("email_verified", true);
        if (email != null) {
            claims.claim("email", email);
        }
        if (name != null) {
            claims.claim("name", name);
        }
        return claims;
    }

    public String sign(JWTClaimsSet claims) {
        return sign(claims, key);
    }

    /** Signs with any RSA key (a test's "unknown key"), as Cognito would: kid header, no typ. */
    public static String sign(JWTClaimsSet claims, RSAKey signingKey) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    public RSAKey key() {
        return key;
    }
}
