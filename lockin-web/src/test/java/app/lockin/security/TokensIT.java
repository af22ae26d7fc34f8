package app.lockin.security;

import static app.lockin.testing.Problems.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import app.lockin.dev.DevKeys;
import app.lockin.dev.TokenMint;

import app.lockin.testing.Api;
import app.lockin.testing.LockinServer;
import app.lockin.testing.Reply;
import app.lockin.testing.TestEnvironment;
import app.lockin.testing.User;

/** Which tokens open the API (API.md, "Tokens"), and that every refusal is a 401 problem with a Bearer challenge. */
@LockinServer
class TokensIT {

    private final TokenMint mint = TestEnvironment.mint();

    private static JWTClaimsSet.Builder access(User user) {
        return TestEnvironment.mint().access(user.subject(), user.username(), Duration.ofMinutes(5), List.of());
    }

    private static Reply me(String token) {
        return Api.withToken(token).get("/api/me");
    }

    @Test
    void cognitoAccessTokenWithoutAudienceIsAccepted() {
        User user = User.random();
        assertThat(access(user).build().getAudience()).isEmpty();
        Reply reply = me(mint.sign(access(user).build()));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    @Test
    void cognitoIdTokenIsAccepted() {
        User user = User.random();
        Reply reply = me(mint.sign(mint.id(user.subject(), user.username(), null, "Id Person", Duration.ofMinutes(5)).build()));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().getString("display_name")).isEqualTo("Id Person");
    }

    @Test
    void missingTokenIsRefused() {
        assertRefused(Api.anonymous().get("/api/me"));
    }

    @Test
    void otherAuthorizationSchemesAreRefused() {
        assertRefused(Api.withAuthorization("Basic dXNlcjpwYXNz").get("/api/me"));
        assertRefused(Api.withAuthorization("Bearer").get("/api/me"));
    }

    @Test
    void malformedTokenIsRefused() {
        assertRefused(me("not-a-jwt"));
        assertRefused(me("a.b.c"));
    }

    @Test
    void expiredTokenIsRefused() {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        JWTClaimsSet claims = access(User.random())
                .issueTime(Date.from(past.minusSeconds(3600)))
                .expirationTime(Date.from(past))
                .build();
        assertRefused(me(mint.sign(claims)));
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        // expired 57 s ago: still within the 60 s of clock skew, so accepted (and remembered) now
        Instant expiry = Instant.now().minusSeconds(57);
        String token = mint.sign(access(User.random())
                .issueTime(Date.from(expiry.minusSeconds(3600)))
                .expirationTime(Date.from(expiry))
                .build());
        assertThat(me(token).status()).isEqualTo(200);
        assertThat(me(token).status()).as("the second request (the remembered token)").isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertRefused(me(token)));
    }

    @Test
    void tokenOfAnotherIssuerIsRefused() {
        assertRefused(me(mint.sign(access(User.random()).issuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other").build())));
    }

    @Test
    void accessTokenOfAnotherClientIsRefused() {
        assertRefused(me(mint.sign(access(User.random()).claim("client_id", "another-app").build())));
    }

    @Test
    void idTokenOfAnotherClientIsRefused() {
        User user = User.random();
        JWTClaimsSet claims = mint.id(user.subject(), user.username(), null, null, Duration.ofMinutes(5))
                .audience("another-app").build();
        assertRefused(me(mint.sign(claims)));
    }

    @Test
    void tokenWithoutOrWithWrongTokenUseIsRefused() {
        assertRefused(me(mint.sign(access(User.random()).claim("token_use", null).build())));
        assertRefused(me(mint.sign(access(User.random()).claim("token_use", "refresh").build())));
    }

    @Test
    void tokenWithoutSubjectIsRefused() {
        assertRefused(me(mint.sign(access(User.random()).subject(null).build())));
    }

    @Test
    void unsignedTokenIsRefused() {
        assertRefused(me(new PlainJWT(access(User.random()).build()).serialize()));
    }

    @Test
    void hs256TokenIsRefused() throws JOSEException {
        JWTClaimsSet claims = access(User.random()).build();
        // also the classic confusion: the public key used as an HMAC secret
        byte[] publicKeyAsSecret = mint.key().toPublicJWK().toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(mint.key().getKeyID()).build(), claims);
        jwt.sign(new MACSigner(publicKeyAsSecret));
        assertRefused(me(jwt.serialize()));
    }

    @Test
    void tokenSignedByAnUnknownKeyIsRefused() {
        assertRefused(me(TokenMint.sign(access(User.random()).build(), DevKeys.generate())));
    }

    @Test
    void tokenSignedByAnotherKeyUnderTheRightKeyIdIsRefused() throws Exception {
        RSAKey impostor = new RSAKey.Builder(DevKeys.generate()).keyID(mint.key().getKeyID()).build();
        assertRefused(me(TokenMint.sign(access(User.random()).build(), impostor)));
    }

    @Test
    void tamperedTokenIsRefused() {
        String token = mint.sign(access(User.random()).build());
        String[] parts = token.split("\\.");
        String otherClaims = mint.sign(access(User.random()).subject(UUID.randomUUID().toString()).build()).split("\\.")[1];
        assertRefused(me(parts[0] + "." + otherClaims + "." + parts[2]));
    }

    /** Cognito rotates its keys: a token naming a key the cached JWKS lacks makes the server fetch the JWKS again. */
    @Test
    void aKeyAddedToTheJwksIsPickedUpWhenATokenNamesIt() throws Exception {
        RSAKey next = DevKeys.generate();
        String token = TokenMint.sign(access(User.random()).build(), next);
        assertRefused(me(token));

        DevKeys.writeJwks(TestEnvironment.jwks(), mint.key(), next);

        // the key set is fetched again at most every 30 s (rate limit), so this may take that long
        await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(me(token).status()).isEqualTo(200));
        assertThat(me(mint.sign(access(User.random()).build())).status()).as("the old key still works").isEqualTo(200);
    }

    @Test
    void everyApiPathNeedsAToken() {
        assertRefused(Api.anonymous().get("/api/no-such-thing"));
        assertRefused(Api.anonymous().patch("/api/me", "{}"));
        assertRefused(Api.anonymous().post("/api/groups", "{}"));
        assertThat(User.random().api().get("/api/no-such-thing").status()).isEqualTo(404);
    }
}
