package app.lockin.live;

import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

/**
 * Registers {@link JerseyShutdown} when the JAX-RS runtime is Jersey
 * (Payara's); on another runtime the streams end when the application's
 * context is destroyed ({@link LiveUpdates}).
 */
@Provider
public class StreamsShutdown implements Feature {

    private static final String JERSEY_LIFECYCLE = "org.glassfish.jersey.server.spi.ContainerLifecycleListener";

    @Override
    public boolean configure(FeatureContext context) {
        try {
            Class.forName(JERSEY_LIFECYCLE, false, StreamsShutdown.class.getClassLoader());
        } catch (ClassNotFoundException notJersey) {
            return false;
        }
        context.register(JerseyShutdown.class);
        return true;
    }
}
