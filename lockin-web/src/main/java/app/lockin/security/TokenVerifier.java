package app.lockin.security;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;

import app.lockin.profiles.Identity;

/**
 * Checks bearer tokens the way API.md's "Tokens" section says: an RS256
 * signature by a key of the issuer's JWKS (cached, fetched again when a
 * token names an unknown key), the issuer, the expiry (60 s of clock skew),
 * and Cognito's {@code token_use} with the app's client id ({@code client_id}
 * on access tokens, {@code aud} on id tokens). {@code alg: none}, HS256 and
 * other keys are refused by the algorithm-bound key selector.
 * <p>
 * A client sends the same token with every request until it expires, so a
 * token that passed is remembered (the exact string, at most
 * {@value #REMEMBERED_TOKENS} of them) until it would no longer pass: its
 * expiry plus the clock skew. Checking it again (Base64, JSON, the RSA
 * signature) was ~6 % of the server's CPU per request (BENCHMARKS.md). A token
 * that failed is never remembered.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());

    /** Clock skew allowed on exp (and nbf): the default of Nimbus's claims verifier, stated here. */
    static final int CLOCK_SKEW_SECONDS = 60;

    static final int REMEMBERED_TOKENS = 10_000;

    @Inject
    @ConfigProperty(name = "COGNITO_REGION")
    Optional<String> region;

    @Inject
    @ConfigProperty(name = "COGNITO_USER_POOL_ID")
    Optional<String> userPoolId;

    @Inject
    @ConfigProperty(name = "COGNITO_CLIENT_ID")
    Optional<String> clientId;

    @Inject
    @ConfigProperty(name = "LOCKIN_JWT_ISSUER")
    Optional<String> localIssuer;

    @Inject
    @ConfigProperty(name = "LOCKIN_JWKS_LOCATION")
    Optional<String> localJwks;

    private TokenSettings settings;
    private DefaultJWTProcessor<SecurityContext> processor;
    private String misconfiguration;

    private final Cache<String, VerifiedToken> remembered = Caffeine.newBuilder()
            .maximumSize(REMEMBERED_TOKENS)
            .expireAfter(Expiry.creating((String token, VerifiedToken verified) ->
                    Duration.between(Instant.now(), verified.validUntil())))
            .build();

    @PostConstruct
    void configure() {
        try {
            settings = TokenSettings.from(blankless(region), blankless(userPoolId), blankless(clientId),
                    blankless(localIssuer), blankless(localJwks));
            processor = processor(settings);
            LOG.info(() -> "Accepting tokens of " + settings.issuer() + " (keys from " + settings.jwks() + ")"
                    + settings.clientId().map(c -> " for the client " + c).orElse(" for any client"));
        } catch (IllegalStateException | IOException e) {
            misconfiguration = e.getMessage();
            LOG.severe("Every /api request will be refused: " + misconfiguration);
        }
    }

    public VerifiedToken verify(String token) throws InvalidToken {
        if (processor == null) {
            throw new InvalidToken("token verification is not configured on this server");
        }
        VerifiedToken known = remembered.getIfPresent(token);
        if (known != null) {
            return known;
        }
        VerifiedToken verified = check(token);
        remembered.put(token, verified);
        return verified;
    }

    private VerifiedToken check(String token) throws InvalidToken {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidToken("the token is not a JWT");
        } catch (ExpiredJWTException e) {
            throw new InvalidToken("the token has expired");
        } catch (BadJWTException e) {
            throw new InvalidToken("the token's claims are not acceptable: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new InvalidToken("the token's signature or algorithm is not acceptable");
        } catch (JOSEException e) {
            throw new InvalidToken("the token could not be verified", e);
        }
        checkClient(claims);
        Map<String, Object> json = new HashMap<>(claims.toJSONObject());
        json.values().removeIf(Objects::isNull);
        return new VerifiedToken(identity(claims), Set.copyOf(strings(claims, "cognito:groups")), json, token,
                claims.getExpirationTime().toInstant().plusSeconds(CLOCK_SKEW_SECONDS));
    }

    /** Cognito's token_use, and the app client the token was issued to. */
    private void checkClient(JWTClaimsSet claims) throws InvalidToken {
        String use = string(claims, "token_use");
        if ("access".equals(use)) {
            if (settings.clientId().isPresent() && !settings.clientId().get().equals(string(claims, "client_id"))) {
                throw new InvalidToken("the token was issued to another client");
            }
        } else if ("id".equals(use)) {
            if (settings.clientId().isPresent() && !claims.getAudience().contains(settings.clientId().get())) {
                throw new InvalidToken("the token was issued to another client");
            }
        } else {
            throw new InvalidToken("token_use must be access or id");
        }
    }

    private static Identity identity(JWTClaimsSet claims) {
        Optional<String> name = firstOf(claims, "name", "preferred_username", "username", "cognito:username");
        return new Identity(Identity.COGNITO, claims.getSubject(), verifiedEmail(claims), name);
    }

    /**
     * The token's email only when the token says it is verified: anyone can
     * set any address on their own Cognito profile, and an email kept here
     * is what invites by email reach.
     */
    private static Optional<String> verifiedEmail(JWTClaimsSet claims) {
        Object verified = claims.getClaim("email_verified");
        boolean isVerified = Boolean.TRUE.equals(verified) || "true".equals(verified);
        return isVerified ? Optional.ofNullable(string(claims, "email")) : Optional.empty();
    }

    private static Optional<String> firstOf(JWTClaimsSet claims, String... names) {
        for (String name : names) {
            String value = string(claims, name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static String string(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    private static List<String> strings(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return value instanceof String s ? List.of(s) : List.of();
    }

    private static DefaultJWTProcessor<SecurityContext> processor(TokenSettings settings) throws IOException {
        URL jwksUrl = settings.jwks().toURL();
        JWKSource<SecurityContext> keys = JWKSourceBuilder
                .create(jwksUrl, "file".equals(jwksUrl.getProtocol()) ? new FileRetriever() : new DefaultResourceRetriever(2000, 2000, 512 * 1024))
                .cache(true)
                .rateLimited(true)
                .retrying(true)
                .build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp", "iat", "token_use"));
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    private static Optional<String> blankless(Optional<String> value) {
        return value.filter(v -> !v.isBlank());
    }

    /** Reads a JWKS file (local runs and tests) through the same cache as a remote JWKS. */
    static final class FileRetriever implements ResourceRetriever {
        @Override
        public Resource retrieveResource(URL url) throws IOException {
            try {
                return new Resource(Files.readString(Path.of(url.toURI()), StandardCharsets.UTF_8), "application/json");
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e);
            }
        }
    }
}
