package app.lockin.rest;

import java.lang.reflect.InvocationTargetException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;

/**
 * Cuts a request's connection at once, so an answer that failed after its
 * first bytes ends as a broken transfer (a chunked body without its last
 * chunk) and not as a complete-looking one: the Servlet API cannot abort an
 * answer, and after a failure past the commit Jersey logs it and lets the
 * container end the body normally. Payara's own public methods reach the
 * connection: Catalina's {@code RequestFacade.getUnwrappedCoyoteRequest()},
 * its {@code getCoyoteRequest()} (Grizzly's request), {@code getConnection()},
 * {@code closeSilently()}. On a server without them the answer ends normally
 * (logged once); {@code TimeLogExportsIT} checks the cut on Payara Micro.
 */
public final class Connections {

    private static final Logger LOG = Logger.getLogger(Connections.class.getName());
    private static volatile boolean warned;

    private Connections() {
    }

    /** Closes the connection the request came on; never fails. */
    public static void cut(ServletRequest request) {
        ServletRequest current = request;
        while (current instanceof ServletRequestWrapper wrapper) {
            current = wrapper.getRequest();
        }
        try {
            Object catalina = call(current, "getUnwrappedCoyoteRequest");
            Object grizzly = call(catalina, "getCoyoteRequest");
            Object connection = call(grizzly, "getConnection");
            call(connection, "closeSilently");
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "Cannot cut a connection on this server ({0}): an export that fails after "
                        + "its first bytes ends as if it were whole", e.toString());
            }
        }
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
