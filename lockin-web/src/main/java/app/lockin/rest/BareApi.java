package app.lockin.rest;

import java.util.Set;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * A JAX-RS application with nothing but {@link Anchor} (at {@code /bare/anchor}):
 * none of the API's providers (authentication, limits, request log, problem
 * mapping) are registered here, so it measures the container alone. Its
 * classes are listed: an application that lists none would get every
 * resource of the WAR, unguarded.
 */
@ApplicationPath("bare")
public class BareApi extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(Anchor.class);
    }
}
