package io.tradeflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CPU lists in Linux notation, and {@code threads.router-cpus} read from a file. */
final class CpuSetTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1|1", " 2-3 |2-3", "0,2-3|0,2-3", "3,1,2|1-3", "0-1,1-2|0-2", "5-5|5", "0,2,4|0,2,4", "4095|4095"})
    void shouldParseAndWriteBackLinuxNotation(String text, String written) {
        assertThat(CpuSet.parse(text)).map(CpuSet::toString).contains(written);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "1-", "-1", "3-1", "1,,2", "1.5", "0x1", "4096", "1-99999999", "1 2", ","})
    void shouldRefuseWhatIsNotACpuList(String text) {
        assertThat(CpuSet.parse(text)).isEmpty();
    }

    @Test
    void shouldTreatEmptyTextAsNoCpus() {
        assertThat(CpuSet.parse("  ")).contains(CpuSet.NONE);
        assertThat(CpuSet.NONE.isEmpty()).isTrue();
        assertThat(CpuSet.NONE.toString()).isEmpty();
    }

    @Test
    void shouldSubtractAndCompareSets() {
        CpuSet all = CpuSet.parse("0-3").orElseThrow();
        CpuSet router = CpuSet.parse("2-3").orElseThrow();

        assertThat(all.minus(router)).hasToString("0-1");
        assertThat(router.isSubsetOf(all)).isTrue();
        assertThat(all.isSubsetOf(router)).isFalse();
        assertThat(router.contains(2)).isTrue();
        assertThat(router.contains(1)).isFalse();
    }

    @Test
    void shouldNotShareItsBitsWithCallers() {
        CpuSet router = CpuSet.parse("1").orElseThrow();
        router.toBitSet().set(5);

        assertThat(router).hasToString("1");
    }

    @Test
    void shouldReadRouterCpusFromTheOperatorsFile() throws IOException {
        Path file = Files.writeString(dir.resolve("tradeflow.conf"), "threads.router-cpus = \"0,2-3\"\n");

        assertThat(ConfigLoader.load(Optional.of(file), Map.of(), Map.of()).threads().routerCpus())
                .hasToString("0,2-3");
    }

    @Test
    void shouldPinNothingByDefault() {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).threads().routerCpus())
                .isEqualTo(CpuSet.NONE);
    }

    @Test
    void shouldNameTheKeyAndTheNotationForAMalformedList() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("threads.router-cpus", "3-1"), Map.of()))
                .withMessage("invalid config threads.router-cpus = 3-1: must be empty or a CPU list such as \"1\","
                        + " \"2-3\" or \"0,2\" (CPU numbers up to 4095)");
    }
}
