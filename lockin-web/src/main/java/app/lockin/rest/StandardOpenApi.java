package app.lockin.rest;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * Keeps the served OpenAPI document standard: the contract is the static
 * META-INF/openapi.yaml, and nothing may be added to it that OpenAPI 3.0 does
 * not allow, or clients that generate code from it (and Spectral's
 * {@code spectral:oas} ruleset) refuse it.
 *
 * <p>Payara (6.2025.x) adds a root key {@code endpoints} (the paths by context
 * root) to every application's document whenever it has paths, after the
 * static file is read and before this filter runs; no configuration turns it
 * off (Payara's {@code OpenAPISupplier} sets it unconditionally; Payara PR
 * #7891 renames it {@code x-endpoints} in a later release). Its serializer
 * leaves empty maps out, so an empty one removes the key. Payara's merge of the
 * applications' documents reads the map, so it must be empty, never null.
 * Set by name through reflection because the field is Payara's own; on a
 * runtime without it nothing happens. Configured as {@code mp.openapi.filter}.
 */
public class StandardOpenApi implements OASFilter {

    private static final Logger LOG = Logger.getLogger(StandardOpenApi.class.getName());

    @Override
    public void filterOpenAPI(OpenAPI document) {
        if (document.getExtensions() != null && document.getExtensions().containsKey("x-endpoints")) {
            document.removeExtension("x-endpoints");
        }
        try {
            Method setter = document.getClass().getMethod("setEndpoints", Map.class);
            setter.invoke(document, new java.util.HashMap<String, java.util.Set<String>>());
        } catch (NoSuchMethodException notPayaras) {
            // another implementation: it adds no such key
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not remove Payara's non-standard 'endpoints' key from the OpenAPI document", e);
        }
    }
}
