package app.lockin.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The webhook channel: sends an outbox item to a group's webhook, signed as
 * the Standard Webhooks specification says ({@link WebhookSignatures}), in
 * the webhook's format ({@link WebhookMessages}).
 *
 * <p>Safe against server-side request forgery: the connection's DNS resolver
 * is {@link WebhookAddresses#resolve}, which resolves the host once, checks
 * every address and hands the client only those, so the connection goes to
 * an address just checked (a name cannot be public for a check and private
 * for the connection); redirects are not followed; 5 s to connect, 10 s for
 * the whole exchange (a deadline that aborts it, however slowly the receiver
 * trickles bytes); at most 64 KB of an answer is read, then the connection
 * is dropped; TLS trusts {@link TrustedCertificates}, host names verified; no
 * proxy, cookies, authentication or automatic retries (the outbox retries).
 *
 * <p>Each attempt blocks one of at most {@value #SENDERS} threads of the
 * channel's own (made by the container's {@code ManagedThreadFactory} when
 * none is idle, idle ones ended after a minute) for at most 10 s, so slow
 * receivers hold no thread of the container's shared executors and no
 * request thread; with all of them busy an attempt fails at once and the
 * outbox tries it again later.
 *
 * <p>What an answer means: 2xx delivered; 410 refused (the receiver says the
 * hook is gone for good, as Slack and Discord do for a deleted one: the item
 * is dead at once); anything else failed and tried again until the item is
 * 24 hours old: 408, 429, 5xx, a timeout, an I/O error, a refused address, a
 * redirect (not followed), and the other 4xx too (a receiver's
 * misconfiguration, such as a 401 or 404 while a channel is being set up,
 * may be mended within the day).
 */
@ApplicationScoped
public class WebhookDeliveries implements DeliveryChannel {

    public static final String NAME = "webhook";
    public static final String USER_AGENT = "LockIN-Webhooks/1.0";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** Deliveries in flight at once on an instance (the outbox sends a webhook's items one at a time). */
    static final int SENDERS = 64;

    private static final Logger LOG = Logger.getLogger(WebhookDeliveries.class.getName());

    @Inject
    TrustedCertificates trusted;

    @Inject
    WebhookAddresses addresses;

    /** The container's threads, for a pool of the channel's own (deliveries block up to 10 s each). */
    @Resource
    ManagedThreadFactory threads;

    private Executor sending;
    private ScheduledExecutorService aborting;
    /** The pools made here (in the container), shut down with the channel. */
    private final List<ExecutorService> owned = new ArrayList<>();
    private CloseableHttpClient client;

    public WebhookDeliveries() {
    }

    /** A channel outside a container (plain tests): its threads are the caller's. */
    public static WebhookDeliveries of(TrustedCertificates trusted, WebhookAddresses addresses, Executor sending,
            ScheduledExecutorService aborting) {
        WebhookDeliveries channel = new WebhookDeliveries();
        channel.trusted = trusted;
        channel.addresses = addresses;
        channel.sending = sending;
        channel.aborting = aborting;
        channel.open();
        return channel;
    }

    @PostConstruct
    void open() {
        if (sending == null) {
            // blocking sends on threads of their own, not the container's shared executor: a receiver that
            // takes its 10 s holds one of these only. A thread is made only when none is idle (a handoff, not
            // a queue: a pool with core threads makes a new one for each of its first SENDERS tasks), idle
            // ones end after a minute; with all SENDERS busy an item fails now and is retried later
            ThreadPoolExecutor senders = new ThreadPoolExecutor(0, SENDERS, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), threads);
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, threads);
            timer.setRemoveOnCancelPolicy(true);
            sending = senders;
            aborting = timer;
            owned.add(senders);
            owned.add(timer);
        }
        DnsResolver checked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return addresses.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;   // never a reverse lookup
            }
        };
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(checked)
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(trusted.sslContext()))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                        .setSocketTimeout(Timeout.of(TOTAL_TIMEOUT))
                        .setTimeToLive(TimeValue.ofMinutes(1))
                        .build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(4)
                .build();
        client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setConnectionRequestTimeout(Timeout.of(TOTAL_TIMEOUT))
                        .setResponseTimeout(Timeout.of(TOTAL_TIMEOUT))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .evictExpiredConnections()
                .setUserAgent(USER_AGENT)
                .build();
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close(CloseMode.IMMEDIATE);
        }
        owned.forEach(ExecutorService::shutdownNow);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletionStage<Delivery> send(OutboxItem item, OutboxItem.Address address) {
        if (!(address instanceof OutboxItem.Webhook webhook)) {
            return CompletableFuture.completedFuture(Delivery.refused(null, "not a webhook: " + item.channel()));
        }
        try {
            return CompletableFuture.supplyAsync(() -> deliver(item, webhook), sending);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Delivery.failed(null, "no thread free to send it"));
        }
    }

    /** One attempt, on the calling thread; never throws. */
    public Delivery deliver(OutboxItem item, OutboxItem.Webhook webhook) {
        String body;
        HttpPost post;
        try {
            body = WebhookMessages.body(webhook.format(), item.payload());
            post = new HttpPost(webhook.url());
        } catch (RuntimeException e) {   // an unreadable payload or URL will not get better
            return Delivery.refused(null, "cannot be sent: " + e.getClass().getSimpleName());
        }
        long timestamp = Instant.now().getEpochSecond();
        String id = item.id().toString();
        post.setHeader("webhook-id", id);
        post.setHeader("webhook-timestamp", Long.toString(timestamp));
        post.setHeader("webhook-signature", WebhookSignatures.header(webhook.secret(), webhook.previousSecret(), id, timestamp, body));
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        ScheduledFuture<?> deadline = aborting.schedule(post::cancel, TOTAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(null, post, null);
            int status = response.getCode();
            if (!readAtMost(response.getEntity(), MAX_RESPONSE_BYTES)) {
                post.cancel();   // the rest is not read: the connection is dropped before the answer is closed
            }
            return outcome(status);
        } catch (IOException | RuntimeException e) {
            return failure(e, post.isCancelled());
        } finally {
            deadline.cancel(false);
            closeQuietly(response);
        }
    }

    static Delivery outcome(int status) {
        if (status >= 200 && status < 300) {
            return Delivery.delivered(status);
        }
        if (status == 410) {
            return Delivery.refused(status, "the receiver says the webhook is gone (410)");
        }
        if (status >= 300 && status < 400) {
            return Delivery.failed(status, "redirect answered (" + status + "), not followed");
        }
        return Delivery.failed(status, "the receiver answered " + status);
    }

    private static Delivery failure(Exception e, boolean cancelled) {
        WebhookAddresses.RefusedAddress refused = cause(e, WebhookAddresses.RefusedAddress.class);
        if (refused != null) {
            return Delivery.failed(null, refused.getMessage());
        }
        if (cancelled) {
            return Delivery.failed(null, "no whole answer within " + TOTAL_TIMEOUT.toSeconds() + " s");
        }
        LOG.log(Level.FINE, "A webhook delivery failed", e);
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return Delivery.failed(null, e.getClass().getSimpleName() + message);
    }

    /**
     * Reads the answer's body, at most {@code max} bytes, and leaves the stream
     * open (closing it would read the rest); true when it ended within them.
     */
    private static boolean readAtMost(HttpEntity entity, int max) {
        if (entity == null) {
            return true;
        }
        try {
            InputStream in = entity.getContent();
            if (in == null) {
                return true;
            }
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > max) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;   // the body broke off after the status came: the status stands
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINEST, "closing a webhook's answer", e);
            }
        }
    }

    private static <T extends Throwable> T cause(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

}
