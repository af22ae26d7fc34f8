package app.lockin.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TokenSettingsTest {

    private static final Optional<String> NONE = Optional.empty();

    @Test
    void cognitoPoolGivesIssuerAndJwks() {
        TokenSettings settings = TokenSettings.from(Optional.of("eu-west-1"), Optional.of("eu-west-1_AbC123"),
                Optional.of("client"), NONE, NONE);
        assertThat(settings.issuer()).isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123");
        assertThat(settings.jwks()).isEqualTo(URI.create(
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json"));
        assertThat(settings.clientId()).hasValue("client");
    }

    @Test
    void regionDefaultsToThePoolsPrefix() {
        assertThat(TokenSettings.from(NONE, Optional.of("ap-south-1_Xyz"), Optional.of("c"), NONE, NONE).issuer())
                .isEqualTo("https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_Xyz");
    }

    @Test
    void aCognitoPoolNeedsItsClientId() {
        assertThatThrownBy(() -> TokenSettings.from(Optional.of("eu-west-1"), Optional.of("eu-west-1_A"), NONE, NONE, NONE))
                .hasMessageContaining("COGNITO_CLIENT_ID");
    }

    @Test
    void localIssuerAndKeysReplaceThePool() {
        TokenSettings settings = TokenSettings.from(NONE, NONE, NONE, Optional.of("https://dev/issuer"), Optional.of("keys/jwks.json"));
        assertThat(settings.issuer()).isEqualTo("https://dev/issuer");
        assertThat(settings.jwks()).isEqualTo(Path.of("keys/jwks.json").toAbsolutePath().toUri());
        assertThat(settings.clientId()).isEmpty();
        assertThat(TokenSettings.from(NONE, NONE, NONE, Optional.of("i"), Optional.of("https://keys.example/jwks")).jwks())
                .isEqualTo(URI.create("https://keys.example/jwks"));
    }

    @Test
    void nothingConfiguredIsAnError() {
        assertThatThrownBy(() -> TokenSettings.from(NONE, NONE, NONE, NONE, NONE)).hasMessageContaining("COGNITO_USER_POOL_ID");
    }
}
