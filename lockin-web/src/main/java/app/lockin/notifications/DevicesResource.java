package app.lockin.notifications;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import app.lockin.rest.Representation;
import app.lockin.security.CallerToken;

/** The caller's phones for push: {@code /api/me/devices}. */
@ApplicationScoped
@Path("me/devices")
@Produces(MediaType.APPLICATION_JSON)
public class DevicesResource {

    @Context
    SecurityContext security;

    @Inject
    Devices devices;

    /** 201 for a device new to the caller (a token moved from someone else too), 200 for one of theirs already. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @Representation(DeviceResponse.class) NewDevice request) {
        Devices.Registered registered = devices.register(CallerToken.profileOf(security), request);
        if (!registered.created()) {
            return Response.ok(registered.device()).build();
        }
        return Response.created(URI.create("/api/me/devices/" + registered.device().id()))
                .entity(registered.device()).build();
    }

    @GET
    public List<DeviceResponse> list() {
        return devices.list(CallerToken.profileOf(security));
    }

    @DELETE
    @Path("{device_id}")
    public Response remove(@PathParam("device_id") UUID deviceId) {
        devices.remove(CallerToken.profileOf(security), deviceId);
        return Response.noContent().build();
    }
}
