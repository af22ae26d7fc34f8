package app.lockin.live;

import jakarta.enterprise.inject.spi.CDI;

import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;

/**
 * Ends every event stream when Jersey shuts down, while it can still write:
 * on Payara (Micro 6.2025.10, measured by {@code ./lockin cluster-test})
 * the container closes open streams about 0.1 s after SIGTERM, before any
 * CDI, EJB or servlet shutdown callback runs, so clients would lose the
 * {@code end} event that tells them to reconnect elsewhere. Registered by
 * {@link StreamsShutdown} only where Jersey is the JAX-RS runtime.
 */
class JerseyShutdown implements ContainerLifecycleListener {

    @Override
    public void onStartup(Container container) {
        // nothing to do
    }

    @Override
    public void onReload(Container container) {
        // nothing to do
    }

    @Override
    public void onShutdown(Container container) {
        // looked up, not injected: Jersey instantiates this, and injecting into it broke the deployment
        CDI.current().select(LiveUpdates.class).get().stop();
    }
}
