package app.lockin.groups;

import static app.lockin.testing.Problems.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import app.lockin.testing.Api;
import app.lockin.testing.Fixtures;
import app.lockin.testing.Fixtures.Crew;
import app.lockin.testing.LockinServer;
import app.lockin.testing.OwnServer;
import app.lockin.testing.Reply;

/**
 * Webhooks may not point into private networks (DOMAIN.md "No requests to
 * private networks"), on a server of the test's own without the suite's
 * {@code LOCKIN_WEBHOOK_PRIVATE_ADDRESSES=allow}: the rule as a deployment
 * has it. Every class of address is WebhookAddressesTest's; the check at
 * connection, WebhookDeliveriesTest's.
 */
@LockinServer
class WebhookAddressesIT {

    @Test
    void privateAddressesAndPlainHttpAre422OnUrl() throws Exception {
        Crew crew = Fixtures.crew();
        try (OwnServer server = OwnServer.start("webhook-addresses", Map.of("LOCKIN_WEBHOOK_PRIVATE_ADDRESSES", "refuse"))) {
            Api api = crew.owner().api().at(server.baseUrl());
            String path = "/api/groups/" + crew.groupId() + "/webhooks";
            for (String url : List.of("https://127.0.0.1/hook", "https://127.0.0.1:8443/hook", "https://localhost/hook",
                    "https://169.254.169.254/latest/meta-data/", "https://[::1]/hook", "https://[fd00:ec2::254]/",
                    "https://10.0.0.7/hook", "https://192.168.1.1/hook", "https://[::ffff:127.0.0.1]/hook",
                    "https://0.0.0.0/hook", "https://100.64.0.1/hook", "http://example.com/hook", "http://127.0.0.1/hook")) {
                Reply refused = api.post(path, "{\"url\": \"" + url + "\", \"events\": [\"ping\"]}");
                assertInvalid(refused, "url");
                assertThat(refused.json().getJsonArray("errors").getValuesAs(JsonObject.class).get(0).getString("message"))
                        .as(url).startsWith("must");
            }
            // a public address is taken (an IP literal: no lookup)
            Reply taken = api.post(path, "{\"url\": \"https://93.184.216.34/hook\", \"events\": [\"ping\"], \"format\": \"discord\"}");
            assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
            assertThat(api.delete(path + "/" + taken.json().getString("id")).status()).isEqualTo(204);
        }
    }
}
