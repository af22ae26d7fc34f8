package app.lockin.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import app.lockin.profiles.Identity;

class CallerContextTest {

    private static final UUID PROFILE = UUID.randomUUID();

    private static CallerToken caller(Map<String, Object> claims, Set<String> groups) {
        VerifiedToken token = new VerifiedToken(new Identity(Identity.COGNITO, "sub-1", Optional.empty(), Optional.empty()), groups, claims,
                "header.payload.signature", Instant.now().plusSeconds(600));
        return new CallerToken(token, PROFILE);
    }

    @Test
    void theCallerIsAMicroProfileJsonWebTokenWithCognitoGroups() {
        CallerToken caller = caller(Map.of("sub", "sub-1", "username", "alice", "exp", 1_800_000_000L,
                "cognito:groups", List.of("admin", "editors")), Set.of("admin", "editors"));
        JsonWebToken jwt = caller;

        assertThat(jwt.getName()).as("no upn or preferred_username: the subject").isEqualTo("sub-1");
        assertThat(jwt.getGroups()).containsExactlyInAnyOrder("admin", "editors");
        assertThat(jwt.getSubject()).isEqualTo("sub-1");
        assertThat(jwt.getExpirationTime()).isEqualTo(1_800_000_000L);
        assertThat(jwt.getRawToken()).isEqualTo("header.payload.signature");
        assertThat(jwt.getClaimNames()).contains("sub", "username", "exp", Claims.raw_token.name(), Claims.groups.name());
        assertThat(caller.profileId()).isEqualTo(PROFILE);
        assertThat(caller(Map.of("sub", "s", "preferred_username", "bob"), Set.of()).getName()).isEqualTo("bob");
    }

    @Test
    void administratorsAreTheConfiguredCognitoGroup() {
        CallerToken staff = caller(Map.of("sub", "sub-1"), Set.of("staff", "editors"));
        CallerContext context = new CallerContext(staff, BearerTokens.rolesOf(staff.getGroups(), "staff"), true);

        assertThat(context.isUserInRole(Roles.ADMIN)).isTrue();
        assertThat(context.isUserInRole("editors")).isTrue();
        assertThat(context.isUserInRole("admin")).isFalse();
        assertThat(context.getUserPrincipal()).isSameAs(staff);
        assertThat(CallerToken.of(context)).isSameAs(staff);
        assertThat(new CallerContext(staff, BearerTokens.rolesOf(staff.getGroups(), "admin"), false).isUserInRole(Roles.ADMIN)).isFalse();
    }

    @Test
    void noCallerWithoutAuthentication() {
        assertThatThrownBy(() -> CallerToken.of(null)).isInstanceOf(IllegalStateException.class);
    }
}
