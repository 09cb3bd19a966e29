package io.tradeflow.service.security;

import io.tradeflow.config.Profile;
import io.tradeflow.config.TradeFlowConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The two dashboard secrets as 256-bit keys: the key encrypting broker credentials and the key
 * signing session tokens. They come from {@code security.credential-key} / {@code security.jwt-secret}
 * (config or environment); the demo profile generates them once into {@code <data-dir>/secrets.properties}
 * (owner-only) so sessions and stored credentials survive restarts. Production never gets here
 * without both: config validation refuses to start.
 */
public record DashboardSecrets(byte[] credentialKey, byte[] jwtKey) {
    static final String FILE_NAME = "secrets.properties";

    public static DashboardSecrets resolve(TradeFlowConfig config) throws IOException {
        String credential = config.security().credentialKey();
        String jwt = config.security().jwtSecret();
        if (credential.isBlank() || jwt.isBlank()) {
            if (config.profile() != Profile.DEMO) {
                throw new IllegalStateException("security.credential-key and security.jwt-secret are required outside the demo profile");
            }
            Properties generated = loadOrGenerate(config.dataDir().resolve(FILE_NAME));
            credential = credential.isBlank() ? generated.getProperty("credential-key") : credential;
            jwt = jwt.isBlank() ? generated.getProperty("jwt-secret") : jwt;
        }
        return new DashboardSecrets(derive(credential), derive(jwt));
    }

    /** Configured secrets may be any string; SHA-256 turns them into a key of the right size. */
    private static byte[] derive(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Properties loadOrGenerate(Path file) throws IOException {
        Properties secrets = new Properties();
        if (!Files.exists(file)) {
            SecureRandom random = new SecureRandom();
            Properties fresh = new Properties();
            fresh.setProperty("credential-key", randomSecret(random));
            fresh.setProperty("jwt-secret", randomSecret(random));
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
                    fresh.store(out, "Generated once by the demo profile. Keep private; losing it logs everyone out"
                            + " and makes stored broker credentials unreadable.");
                }
            } catch (FileAlreadyExistsException raced) {
                // Another start created it first: use theirs.
            } catch (UnsupportedOperationException noPosix) {
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
                    fresh.store(out, "Generated once by the demo profile. Keep private.");
                }
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            secrets.load(in);
        }
        if (secrets.getProperty("credential-key", "").isBlank() || secrets.getProperty("jwt-secret", "").isBlank()) {
            throw new IllegalStateException(file + " lacks credential-key or jwt-secret; delete it to regenerate");
        }
        return secrets;
    }

    private static String randomSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "DashboardSecrets[redacted]";
    }
}
