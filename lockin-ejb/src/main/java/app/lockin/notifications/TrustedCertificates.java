package app.lockin.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The certificate authorities LockIN trusts when it connects out (APNs, FCM,
 * webhooks): the JDK's, plus those of the PEM file named by
 * {@value #SETTING}, if set: a company's TLS-inspecting proxy, a private
 * APNs/FCM relay, or a test's own servers. A set but missing, unreadable or
 * certificate-less file stops the deployment with a message naming the
 * setting.
 */
@ApplicationScoped
public class TrustedCertificates {

    public static final String SETTING = "LOCKIN_EXTRA_CA_CERTIFICATES";

    private final List<X509Certificate> extra;
    private final X509TrustManager trustManager;

    @Inject
    public TrustedCertificates(@ConfigProperty(name = SETTING) Optional<String> file) {
        this.extra = file.map(String::strip).filter(f -> !f.isEmpty()).map(TrustedCertificates::read).orElse(List.of());
        this.trustManager = trustManager(extra);
    }

    protected TrustedCertificates() {
        this.extra = List.of();
        this.trustManager = null;
    }

    /** The JDK's authorities and the extra ones. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** Every trusted authority's certificate (for libraries that take a list, such as Pushy). */
    public X509Certificate[] certificates() {
        return trustManager.getAcceptedIssuers().clone();
    }

    /** Whether extra authorities are trusted beyond the JDK's. */
    public boolean extended() {
        return !extra.isEmpty();
    }

    /** A TLS context that trusts exactly these authorities. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> read(String file) {
        Path path = Path.of(file);
        try (InputStream in = Files.newInputStream(path)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalStateException(SETTING + " names a file without PEM certificates: " + file);
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalStateException(SETTING + " names a file that cannot be read: " + file + " (" + e + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(SETTING + " names a file that is not a PEM certificate bundle: " + file
                    + " (" + e.getMessage() + ")", e);
        }
    }

    private static X509TrustManager trustManager(List<X509Certificate> extra) {
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            X509TrustManager defaults = (X509TrustManager) Arrays.stream(jdk.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance).findFirst().orElseThrow();
            if (extra.isEmpty()) {
                return defaults;
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate c : defaults.getAcceptedIssuers()) {
                store.setCertificateEntry("jdk-" + n++, c);
            }
            for (X509Certificate c : extra) {
                store.setCertificateEntry("extra-" + n++, c);
            }
            TrustManagerFactory all = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            all.init(store);
            return (X509TrustManager) Arrays.stream(all.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance).findFirst().orElseThrow();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("The JDK's trusted certificates cannot be read: " + e.getMessage(), e);
        }
    }
}
