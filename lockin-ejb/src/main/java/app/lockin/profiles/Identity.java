package app.lockin.profiles;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a verified token says the caller is: the identity provider, its
 * subject, and what the token tells about the person (used once, to
 * provision their profile).
 */
public record Identity(String provider, String subject, Optional<String> email, Optional<String> name) {

    public static final String COGNITO = "cognito";

    public Identity {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(subject, "subject");
        email = email == null ? Optional.empty() : email;
        name = name == null ? Optional.empty() : name;
    }
}
