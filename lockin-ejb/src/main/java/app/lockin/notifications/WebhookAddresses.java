package app.lockin.notifications;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where a webhook may point (DOMAIN.md "No requests to private networks"):
 * the one owner of the address rule, used at registration ({@link #urlProblem})
 * and at every connection ({@link #resolve}, the delivery's DNS resolver).
 * Refused: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * link-local (169.254/16, fe80::/10), unspecified (0/8, ::), multicast,
 * broadcast and the rest of 240/4, CGNAT (100.64/10), the cloud metadata
 * addresses (169.254.169.254, fd00:ec2::254, in the ranges above), and IPv6
 * addresses carrying such an IPv4 address (IPv4-mapped, IPv4-compatible,
 * NAT64 64:ff9b::/96). {@value #SETTING}{@code =allow} lifts the rule, for
 * tests and development only (a warning at start says so).
 */
@ApplicationScoped
public class WebhookAddresses {

    public static final String SETTING = "LOCKIN_WEBHOOK_PRIVATE_ADDRESSES";

    /** The longest URL a webhook may have. */
    public static final int MAX_URL_LENGTH = 2048;

    private static final Logger LOG = Logger.getLogger(WebhookAddresses.class.getName());

    private final boolean privateAllowed;

    @Inject
    public WebhookAddresses(@ConfigProperty(name = SETTING, defaultValue = "refuse") String setting) {
        this.privateAllowed = switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "allow" -> true;
            case "refuse", "" -> false;
            default -> throw new IllegalStateException(SETTING + " must be allow or refuse (the default), not: " + setting);
        };
    }

    /** The rule as it stands with or without private addresses allowed (plain tests, the delivery's own tests). */
    public static WebhookAddresses allowingPrivate(boolean allowed) {
        return new WebhookAddresses(allowed ? "allow" : "refuse");
    }

    protected WebhookAddresses() {
        this.privateAllowed = false;
    }

    void warnAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (privateAllowed) {
            LOG.warning(SETTING + "=allow: webhooks may reach loopback, private, link-local and cloud metadata "
                    + "addresses. For tests and development only, never in production.");
        }
    }

    /** Whether the rule is lifted ({@value #SETTING}=allow). */
    public boolean privateAllowed() {
        return privateAllowed;
    }

    /**
     * Why this URL cannot be a webhook's (the 422's message on {@code url}),
     * or empty when it can: https only, parsable, no user name or password,
     * at most {@value #MAX_URL_LENGTH} characters, and a host that is not, and
     * does not resolve to, a refused address. A name that does not resolve
     * (yet) is accepted: each connection checks again.
     */
    public Optional<String> urlProblem(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of("must be an https URL of at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("must be a valid URL");
        }
        if (!"https".equals(uri.getScheme()) || !url.startsWith("https://")) {
            return Optional.of("must be an https URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            return Optional.of("must not hold a user name or password");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("must be an https URL with a host name");
        }
        if (privateAllowed) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.empty();   // not resolvable yet: checked again at each connection
        } catch (RuntimeException e) {  // an IP literal the JDK refuses to read
            return Optional.of("must be a valid URL");
        }
        return Arrays.stream(addresses).map(WebhookAddresses::refusal).flatMap(Optional::stream).findFirst()
                .map(reason -> "must not point to a " + reason + " address");
    }

    /**
     * The host's addresses, resolved once, every one of them allowed: what a
     * delivery connects to (so a name cannot resolve to a public address for
     * the check and to a private one for the connection). A host with any
     * refused address is refused whole.
     *
     * @throws RefusedAddress when an address is refused
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        if (!privateAllowed) {
            for (InetAddress address : addresses) {
                Optional<String> reason = refusal(address);
                if (reason.isPresent()) {
                    throw new RefusedAddress("refused address " + address.getHostAddress() + " (" + reason.get()
                            + ") for " + host);
                }
            }
        }
        return addresses;
    }

    /** A host whose address the rule refuses (an {@link UnknownHostException}, so HTTP clients pass it on as it is). */
    public static final class RefusedAddress extends UnknownHostException {

        private static final long serialVersionUID = 1L;

        public RefusedAddress(String message) {
            super(message);
        }
    }

    /** What kind of refused address this is ({@code "loopback"}, {@code "private"} ...), or empty when it is allowed. */
    public static Optional<String> refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return refusalV4(b);
        }
        if (address instanceof Inet6Address) {
            return refusalV6(b);
        }
        return Optional.of("unknown kind of");
    }

    private static Optional<String> refusalV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 169 && a1 == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254) {
            return Optional.of("cloud metadata");
        }
        if (a0 == 0) {
            return Optional.of("unspecified");
        }
        if (a0 == 127) {
            return Optional.of("loopback");
        }
        if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
            return Optional.of("private");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("link-local");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of("shared (CGNAT)");
        }
        if ((a0 & 0xf0) == 224) {
            return Optional.of("multicast");
        }
        if ((a0 & 0xf0) == 240) {
            return Optional.of(a0 == 255 && a1 == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255
                    ? "broadcast" : "reserved");
        }
        return Optional.empty();
    }

    private static Optional<String> refusalV6(byte[] b) {
        boolean zeroTo10 = true;
        for (int i = 0; i < 10; i++) {
            zeroTo10 &= b[i] == 0;
        }
        boolean zeroTo12 = zeroTo10 && b[10] == 0 && b[11] == 0;
        // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible): the IPv4 address decides
        if (zeroTo10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return refusalV4(Arrays.copyOfRange(b, 12, 16));
        }
        if (zeroTo12) {
            boolean zeroTo15 = b[12] == 0 && b[13] == 0 && b[14] == 0;
            if (zeroTo15 && b[15] == 0) {
                return Optional.of("unspecified");
            }
            if (zeroTo15 && b[15] == 1) {
                return Optional.of("loopback");
            }
            return refusalV4(Arrays.copyOfRange(b, 12, 16)).or(() -> Optional.of("IPv4-compatible"));
        }
        // 64:ff9b::/96, NAT64: the IPv4 address it reaches decides
        if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8])) {
            return refusalV4(Arrays.copyOfRange(b, 12, 16));
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0xfd && b1 == 0x00 && (b[2] & 0xff) == 0x0e && (b[3] & 0xff) == 0xc2
                && Arrays.equals(Arrays.copyOfRange(b, 4, 14), new byte[10]) && (b[14] & 0xff) == 0x02 && (b[15] & 0xff) == 0x54) {
            return Optional.of("cloud metadata");
        }
        if ((b0 & 0xfe) == 0xfc) {
            return Optional.of("private");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Optional.of("link-local");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return Optional.of("site-local");
        }
        if (b0 == 0xff) {
            return Optional.of("multicast");
        }
        return Optional.empty();
    }
}
