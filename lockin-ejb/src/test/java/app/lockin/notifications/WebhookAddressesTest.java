package app.lockin.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The address rule of webhooks (DOMAIN.md "No requests to private networks"), every class of address. */
class WebhookAddressesTest {

    private final WebhookAddresses rule = WebhookAddresses.allowingPrivate(false);
    private final WebhookAddresses allowing = WebhookAddresses.allowingPrivate(true);

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    /** IP literals only: no lookup. */
    private static InetAddress raw(String... bytes) throws UnknownHostException {
        byte[] address = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            address[i] = (byte) Integer.parseInt(bytes[i], 16);
        }
        return InetAddress.getByAddress(address);
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, loopback", "127.255.255.254, loopback", "::1, loopback",
            "10.0.0.1, private", "10.255.255.255, private", "172.16.0.1, private", "172.31.255.255, private",
            "192.168.1.1, private", "fc00::1, private", "fdff:ffff::1, private",
            "169.254.0.1, link-local", "169.254.255.255, link-local", "fe80::1, link-local", "febf::1, link-local",
            "0.0.0.0, unspecified", "0.1.2.3, unspecified", "::, unspecified",
            "224.0.0.1, multicast", "239.255.255.250, multicast", "ff02::1, multicast", "ff0e::1, multicast",
            "255.255.255.255, broadcast", "240.0.0.1, reserved",
            "100.64.0.1, shared (CGNAT)", "100.127.255.255, shared (CGNAT)",
            "169.254.169.254, cloud metadata", "fd00:ec2::254, cloud metadata",
            "::ffff:127.0.0.1, loopback", "::ffff:169.254.169.254, cloud metadata", "::ffff:10.1.2.3, private",
            "::127.0.0.1, loopback", "64:ff9b::a9fe:a9fe, cloud metadata", "64:ff9b::c0a8:0101, private",
            "fec0::1, site-local"})
    void refusedAddresses(String address, String kind) throws UnknownHostException {
        assertThat(WebhookAddresses.refusal(ip(address))).as(address).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "93.184.216.34", "172.15.255.255", "172.32.0.1", "192.169.0.1",
            "100.63.255.255", "100.128.0.1", "169.253.255.255", "11.0.0.1", "223.255.255.255",
            "2606:4700:4700::1111", "2001:4860:4860::8888", "64:ff9b::808:808", "::ffff:8.8.8.8"})
    void publicAddressesAreAllowed(String address) throws UnknownHostException {
        assertThat(WebhookAddresses.refusal(ip(address))).as(address).isEmpty();
    }

    @Test
    void anIpv4MappedAddressBuiltFromBytesIsJudgedByItsIpv4Address() throws UnknownHostException {
        // InetAddress.getByName turns ::ffff:a.b.c.d into an Inet4Address; these are judged whatever their Java type
        InetAddress mapped = raw("0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "ff", "ff", "7f", "0", "0", "1");
        assertThat(WebhookAddresses.refusal(mapped)).contains("loopback");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://example.com/hook|must be an https URL",
            "ftp://example.com/hook|must be an https URL",
            "HTTPS://example.com/hook|must be an https URL",
            "https:example.com|must be an https URL",
            "example.com/hook|must be an https URL",
            "https://user:pass@example.com/hook|must not hold a user name or password",
            "https://user@example.com/hook|must not hold a user name or password",
            "https://exa mple.com/|must be a valid URL",
            "https:///hook|must be an https URL with a host name",
            "https://127.0.0.1/hook|must not point to a loopback address",
            "https://localhost:8443/hook|must not point to a loopback address",
            "https://[::1]/hook|must not point to a loopback address",
            "https://[::ffff:127.0.0.1]/hook|must not point to a loopback address",
            "https://169.254.169.254/latest/meta-data|must not point to a cloud metadata address",
            "https://[fd00:ec2::254]/|must not point to a cloud metadata address",
            "https://10.0.0.8/|must not point to a private address",
            "https://0.0.0.0/|must not point to a unspecified address",
            "https://2130706433/|must not point to a loopback address"})
    void refusedUrls(String url, String problem) {
        assertThat(rule.urlProblem(url)).as(url).contains(problem);
    }

    @Test
    void aLongUrlIsRefused() {
        String url = "https://example.com/" + "a".repeat(WebhookAddresses.MAX_URL_LENGTH);
        assertThat(rule.urlProblem(url)).contains("must be an https URL of at most 2048 characters");
        assertThat(rule.urlProblem("https://example.com/" + "a".repeat(2048 - 20))).isEmpty();
    }

    @Test
    void publicAndNotYetResolvableNamesAreAccepted() {
        assertThat(rule.urlProblem("https://93.184.216.34/hook")).isEmpty();
        assertThat(rule.urlProblem("https://[2606:4700:4700::1111]/hook?x=1#f")).isEmpty();
        assertThat(rule.urlProblem("https://does-not-resolve-" + System.nanoTime() + ".invalid/hook")).isEmpty();
    }

    @Test
    void allowLiftsTheAddressRuleButNotTheRest() {
        assertThat(allowing.urlProblem("https://127.0.0.1:8443/hook")).isEmpty();
        assertThat(allowing.urlProblem("https://localhost/hook")).isEmpty();
        assertThat(allowing.urlProblem("http://127.0.0.1/hook")).contains("must be an https URL");
        assertThat(allowing.urlProblem("https://a:b@127.0.0.1/hook")).contains("must not hold a user name or password");
    }

    @Test
    void aConnectionResolvesOnceAndGetsOnlyCheckedAddresses() throws UnknownHostException {
        assertThatThrownBy(() -> rule.resolve("localhost"))
                .isInstanceOf(WebhookAddresses.RefusedAddress.class)
                .hasMessageContaining("refused address").hasMessageContaining("loopback");
        assertThatThrownBy(() -> rule.resolve("169.254.169.254")).hasMessageContaining("cloud metadata");
        assertThat(rule.resolve("93.184.216.34")).extracting(InetAddress::getHostAddress).containsExactly("93.184.216.34");
        assertThat(allowing.resolve("127.0.0.1")).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
    }

    @Test
    void anUnknownSettingStopsTheStart() {
        assertThatThrownBy(() -> new WebhookAddresses("yes"))
                .hasMessageContaining(WebhookAddresses.SETTING);
    }
}
