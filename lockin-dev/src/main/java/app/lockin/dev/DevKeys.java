package app.lockin.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * A development signing key: an RSA key pair kept as a private JWK file,
 * with the public half published as a JWKS file the server reads through
 * {@code LOCKIN_JWKS_LOCATION}, the way it reads a Cognito pool's JWKS.
 */
public final class DevKeys {

    private DevKeys() {
    }

    public static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** The key stored at {@code privateJwk}, created (with its public JWKS beside it) when missing. */
    public static RSAKey loadOrCreate(Path privateJwk, Path publicJwks) throws IOException {
        if (Files.exists(privateJwk)) {
            try {
                RSAKey key = RSAKey.parse(Files.readString(privateJwk));
                if (!Files.exists(publicJwks)) {
                    writeJwks(publicJwks, key);
                }
                return key;
            } catch (ParseException e) {
                throw new IOException(privateJwk + " is not an RSA JWK: " + e.getMessage(), e);
            }
        }
        RSAKey key = generate();
        Files.createDirectories(privateJwk.toAbsolutePath().getParent());
        Files.writeString(privateJwk, key.toJSONString());
        try {
            Files.setPosixFilePermissions(privateJwk, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        writeJwks(publicJwks, key);
        return key;
    }

    /** Publishes the public halves of the keys as a JWKS file. */
    public static void writeJwks(Path jwks, RSAKey... keys) throws IOException {
        Files.createDirectories(jwks.toAbsolutePath().getParent());
        JWKSet set = new JWKSet(java.util.Arrays.stream(keys).map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList());
        Path tmp = jwks.resolveSibling(jwks.getFileName() + ".tmp");
        Files.writeString(tmp, set.toString(true));
        Files.move(tmp, jwks, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
