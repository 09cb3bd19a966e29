package io.tradeflow.service.security;

import io.tradeflow.config.ConfigLoader;
import io.tradeflow.config.TradeFlowConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardSecretsTest {
    @TempDir
    Path dataDir;

    private TradeFlowConfig config(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(Map.of("data-dir", dataDir.toString()));
        all.putAll(extra);
        return ConfigLoader.load(Optional.empty(), all, Map.of());
    }

    @Test
    void shouldGenerateDemoSecretsOnceOwnerOnlyAndReuseThem() throws Exception {
        DashboardSecrets first = DashboardSecrets.resolve(config(Map.of()));
        DashboardSecrets second = DashboardSecrets.resolve(config(Map.of()));

        Path file = dataDir.resolve(DashboardSecrets.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(second.credentialKey()).hasSize(32).isEqualTo(first.credentialKey());
        assertThat(second.jwtKey()).isEqualTo(first.jwtKey()).isNotEqualTo(first.credentialKey());
    }

    @Test
    void shouldUseConfiguredSecretsWithoutWritingAFile() throws Exception {
        DashboardSecrets secrets = DashboardSecrets.resolve(config(Map.of(
                "security.credential-key", "operator credential key", "security.jwt-secret", "operator jwt secret")));
        DashboardSecrets again = DashboardSecrets.resolve(config(Map.of(
                "security.credential-key", "operator credential key", "security.jwt-secret", "operator jwt secret")));

        assertThat(secrets.credentialKey()).isEqualTo(again.credentialKey());
        assertThat(dataDir.resolve(DashboardSecrets.FILE_NAME)).doesNotExist();
        assertThat(secrets.toString()).doesNotContain("operator");
    }
}
