package app.lockin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The push scenario's receivers ({@code ./lockin bench --only push},
 * bench/lib/push.sh), as a process of their own: the suite's mock APNs
 * (Pushy's MockApnsServer), FCM (its OAuth2 token endpoint and
 * {@code messages:send}) and an HTTPS webhook receiver, with the run's own
 * certificate authority. Writes the server's settings for them to
 * {@code <work>/receivers.env} (one {@code NAME=value} a line), then serves
 * until stopped; at its stop it writes what arrived to
 * {@code <work>/receivers-counts.txt} ({@code apns N}, {@code fcm N},
 * {@code webhook N}).
 *
 * <pre>java -cp &lt;lockin-web test classpath&gt; app.lockin.testing.BenchReceivers WORK APNS_PORT FCM_PORT</pre>
 */
public final class BenchReceivers {

    private BenchReceivers() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path work = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(work);
        System.setProperty("lockin.it.work", work.toString());
        TestTls.get();
        TestApns apns = TestApns.start(Integer.parseInt(args[1]), work.resolve("apns.p8"));
        TestFcm fcm = TestFcm.start(Integer.parseInt(args[2]), work.resolve("fcm-service-account.json"));
        WebhookReceiver hooks = WebhookReceiver.start();
        Files.writeString(work.resolve("receivers.env"), String.join("\n",
                "LOCKIN_EXTRA_CA_CERTIFICATES=" + TestTls.authorityPem(),
                "LOCKIN_APNS_TEAM_ID=" + TestApns.TEAM_ID,
                "LOCKIN_APNS_KEY_ID=" + TestApns.KEY_ID,
                "LOCKIN_APNS_KEY_PATH=" + work.resolve("apns.p8"),
                "LOCKIN_APNS_TOPIC=" + TestApns.TOPIC,
                "LOCKIN_APNS_ENVIRONMENT=sandbox",
                "LOCKIN_APNS_SERVER=localhost:" + apns.port(),
                "LOCKIN_FCM_CREDENTIALS=" + work.resolve("fcm-service-account.json"),
                "LOCKIN_FCM_ENDPOINT=" + fcm.endpoint(),
                "LOCKIN_WEBHOOK_PRIVATE_ADDRESSES=allow",
                "HOOK_URL=" + hooks.url("/bench"),
                ""));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(work.resolve("receivers-counts.txt"), "apns " + apns.received() + "\nfcm "
                        + fcm.received() + "\nwebhook " + hooks.received().size() + "\n");
            } catch (IOException e) {
                System.getLogger(BenchReceivers.class.getName()).log(System.Logger.Level.WARNING,
                        "could not write what arrived", e);
            }
            apns.close();
            fcm.close();
            hooks.close();
            stopped.countDown();
        }, "bench-receivers-stop"));
        System.out.println("receivers ready: " + work.resolve("receivers.env"));
        stopped.await();
    }
}
