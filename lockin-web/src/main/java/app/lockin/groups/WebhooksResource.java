package app.lockin.groups;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriBuilder;

import app.lockin.rest.Paging;
import app.lockin.rest.Representation;
import app.lockin.rest.RequestBodies;
import app.lockin.security.CallerToken;

/**
 * A group's webhooks: {@code /api/groups/{id}/webhooks}, for its owner and
 * admins. The secret is in the answers of the creation and of
 * {@code :rotate-secret} only.
 */
@ApplicationScoped
@Path("groups/" + GroupsResource.ID + "/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksResource {

    private static final String WEBHOOK = "{webhook_id: [^/:]+}";

    @Context
    SecurityContext security;

    @Inject
    Webhooks webhooks;

    @Inject
    RequestBodies bodies;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("id") UUID groupId,
            @Valid @Representation(WebhookWithSecret.class) NewWebhook request) {
        WebhookWithSecret created = webhooks.create(CallerToken.profileOf(security), groupId, request);
        return Response.created(URI.create("/api/groups/" + groupId + "/webhooks/" + created.id())).entity(created).build();
    }

    @GET
    public List<WebhookResponse> list(@PathParam("id") UUID groupId) {
        return webhooks.list(CallerToken.profileOf(security), groupId);
    }

    @GET
    @Path(WEBHOOK)
    public WebhookResponse get(@PathParam("id") UUID groupId, @PathParam("webhook_id") UUID webhookId) {
        return webhooks.get(CallerToken.profileOf(security), groupId, webhookId);
    }

    /** A JSON Merge Patch of the webhook's {@link WebhookSettings}. */
    @PATCH
    @Path(WEBHOOK)
    @Consumes({MediaType.APPLICATION_JSON, RequestBodies.MERGE_PATCH})
    public WebhookResponse update(@PathParam("id") UUID groupId, @PathParam("webhook_id") UUID webhookId, JsonValue patch) {
        return webhooks.update(CallerToken.profileOf(security), groupId, webhookId,
                current -> bodies.merge(current, patch, WebhookSettings.class, WebhookWithSecret.class));
    }

    @DELETE
    @Path(WEBHOOK)
    public Response remove(@PathParam("id") UUID groupId, @PathParam("webhook_id") UUID webhookId) {
        webhooks.remove(CallerToken.profileOf(security), groupId, webhookId);
        return Response.noContent().build();
    }

    /** A new secret (answered once); the one before still signs for 24 hours. */
    @POST
    @Path(WEBHOOK + ":rotate-secret")
    public WebhookWithSecret rotateSecret(@PathParam("id") UUID groupId, @PathParam("webhook_id") UUID webhookId) {
        return webhooks.rotateSecret(CallerToken.profileOf(security), groupId, webhookId);
    }

    /** 202: a {@code ping} is queued; its delivery shows in {@code /deliveries}. */
    @POST
    @Path(WEBHOOK + ":test")
    public Response test(@PathParam("id") UUID groupId, @PathParam("webhook_id") UUID webhookId) {
        UUID delivery = webhooks.test(CallerToken.profileOf(security), groupId, webhookId);
        return Response.accepted(new Queued(delivery)).build();
    }

    @GET
    @Path(WEBHOOK + "/deliveries")
    public Response deliveries(@PathParam("id") UUID groupId, @PathParam("webhook_id") UUID webhookId,
            @QueryParam("limit") String limit, @QueryParam("before") String before) {
        int size = Paging.limit(limit, 20, 100);
        List<WebhookDeliveryResponse> found = webhooks.deliveries(CallerToken.profileOf(security), groupId, webhookId,
                cursor(before), size);
        boolean more = found.size() > size;
        List<WebhookDeliveryResponse> shown = more ? found.subList(0, size) : found;
        Response.ResponseBuilder answer = Response.ok(shown);
        if (more) {
            answer.link(UriBuilder.fromPath("/api/groups/{id}/webhooks/{webhook_id}/deliveries")
                    .queryParam("limit", size)
                    .queryParam("before", shown.get(shown.size() - 1).id())
                    .build(groupId, webhookId), "next");
        }
        return answer.build();
    }

    private static Optional<UUID> cursor(String before) {
        if (before == null) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(before);
            if (id.toString().equalsIgnoreCase(before)) {
                return Optional.of(id);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new BadRequestException("before must be the id of the last delivery seen (a UUID)");
    }

    /** The answer of {@code :test}: the id of the ping's delivery (its {@code webhook-id}). */
    public record Queued(UUID deliveryId) {
    }
}
