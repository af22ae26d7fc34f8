package app.lockin.testing;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A person of one test: a random Cognito subject, so tests never share
 * people and can run in any order against one database.
 */
public record User(String subject, String username, List<String> groups) {

    public static User random() {
        String subject = UUID.randomUUID().toString();
        return new User(subject, "user-" + subject.substring(0, 8), List.of());
    }

    public static User randomIn(String... cognitoGroups) {
        User user = random();
        return new User(user.subject(), user.username(), List.of(cognitoGroups));
    }

    /** A Cognito-shaped access token of this person, valid for ten minutes. */
    public String accessToken() {
        return TestEnvironment.mint().accessToken(subject, username, Duration.ofMinutes(10), groups);
    }

    public Api api() {
        return Api.withToken(accessToken());
    }
}
