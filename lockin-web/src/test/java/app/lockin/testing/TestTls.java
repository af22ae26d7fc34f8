package app.lockin.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The tests' own TLS: a certificate authority made for the run, whose
 * certificate the server trusts through {@code LOCKIN_EXTRA_CA_CERTIFICATES}
 * (written to {@code target/it/test-ca.pem} before the server starts), and
 * a server certificate it signed for {@code localhost} and {@code 127.0.0.1},
 * which the mock APNs server and the webhook receivers present. Nothing in
 * the server knows it is a test: it trusts one more authority.
 */
public final class TestTls {

    private static TestTls instance;

    private final X509Certificate authority;
    private final X509Certificate server;
    private final KeyPair serverKeys;

    private TestTls() throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair caKeys = ecKeys();
        X500Name caName = new X500Name("CN=LockIN test authority");
        authority = sign(new JcaX509v3CertificateBuilder(caName, serial(), from(), until(), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), caKeys);
        serverKeys = ecKeys();
        server = sign(new JcaX509v3CertificateBuilder(caName, serial(), from(), until(), new X500Name("CN=localhost"),
                serverKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")})), caKeys);
    }

    /** The run's TLS, made at the first call; the authority's PEM is then in {@link #authorityPem()}. */
    public static synchronized TestTls get() {
        if (instance == null) {
            try {
                instance = new TestTls();
                Files.createDirectories(authorityPem().getParent());
                Files.writeString(authorityPem(), pem(instance.authority));
                Files.writeString(serverCertificatePem(), pem(instance.server) + pem(instance.authority));
                Files.writeString(serverKeyPem(), pem(new JcaPKCS8Generator(instance.serverKeys.getPrivate(), null)));
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** The authority the server trusts (LOCKIN_EXTRA_CA_CERTIFICATES). */
    public static Path authorityPem() {
        return Path.of(System.getProperty("lockin.it.work", "target/it"), "test-ca.pem");
    }

    /** The server certificate and its chain, PEM (what Netty-based servers such as MockApnsServer take). */
    public static Path serverCertificatePem() {
        return Path.of(System.getProperty("lockin.it.work", "target/it"), "test-server.pem");
    }

    /** The server certificate's private key, PKCS#8 PEM. */
    public static Path serverKeyPem() {
        return Path.of(System.getProperty("lockin.it.work", "target/it"), "test-server-key.pem");
    }

    public X509Certificate authority() {
        return authority;
    }

    /** A TLS context presenting the server certificate (for JDK servers such as HttpsServer). */
    public SSLContext serverContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", serverKeys.getPrivate(), new char[0], new Certificate[] {server, authority});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static Date from() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date until() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
