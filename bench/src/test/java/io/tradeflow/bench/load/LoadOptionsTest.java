package io.tradeflow.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {
    @Test
    void shouldDefaultToAFullRunOfAllFourTargets() {
        LoadOptions o = LoadOptions.parse(new String[0]);

        assertThat(o.targets()).containsExactly(Target.A, Target.B, Target.C, Target.D);
        assertThat(o.p99LimitNanos()).isEqualTo(5_000_000);
        assertThat(o.maxErrorRate()).isEqualTo(0.01);
        assertThat(o.measureFraction()).isEqualTo(0.25);
        assertThat(o.out()).isEqualTo(Path.of("bench/results"));
        assertThat(o.quick()).isFalse();
        assertThat(o.clientCpus().isEmpty()).as("load generator placed by the bench profile").isTrue();
    }

    @Test
    void shouldRunTheRampThenAFiftyThousandAlertBurstByDefault() {
        LoadOptions o = LoadOptions.parse(new String[0]);

        assertThat(o.scenario()).isEqualTo(LoadOptions.Scenario.ALL);
        assertThat(o.burst().targets()).containsExactly(Target.A, Target.B, Target.C, Target.D);
        assertThat(o.burst().alerts()).isEqualTo(50_000);
        assertThat(o.burst().connections()).isEqualTo(1_000);
        assertThat(o.burst().rate()).isEqualTo(25_000.0);
    }

    @Test
    void shouldRunABurstAloneOnTheTargetsAsked() {
        LoadOptions o = LoadOptions.parse(new String[] {"--scenario", "burst", "--targets", "B,C", "--burst-targets", "c",
            "--burst", "1000", "--burst-connections", "10", "--burst-seconds", "0.5"});

        assertThat(o.scenario().ramp()).isFalse();
        assertThat(o.scenario().burst()).isTrue();
        assertThat(o.burst().targets()).containsExactly(Target.C);
        assertThat(o.burst().rate()).isEqualTo(2_000.0);
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--targets", "A", "--burst-targets", "C"}))
                .hasMessageContaining("--burst-targets must be among --targets");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--burst", "0"})).hasMessageContaining("--burst");
    }

    @Test
    void shouldReadTheLoadGeneratorsCpusAndRefuseAMalformedList() {
        assertThat(LoadOptions.parse(new String[] {"--client-cpus", "1"}).clientCpus()).hasToString("1");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--client-cpus", "one"}))
                .hasMessageContaining("--client-cpus must be a CPU list");
    }

    @Test
    void shouldStartQuickRunsFromTheSmokePresetAndLetFlagsOverrideIt() {
        LoadOptions o = LoadOptions.parse(new String[] {"--quick", "--step-seconds", "2", "--targets", "a,c"});

        assertThat(o.quick()).isTrue();
        assertThat(o.stepDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.maxTotal()).isEqualTo(Duration.ofSeconds(50));
        assertThat(o.targets()).containsExactly(Target.A, Target.C);
        assertThat(o.out()).isEqualTo(Path.of("bench/results/quick"));
    }

    @Test
    void shouldRejectUnknownOptionsAndImpossibleValues() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--step-secs", "2"}))
                .hasMessageContaining("unknown option --step-secs");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rate-factor", "1"}))
                .hasMessageContaining("--rate-factor");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--step-seconds", "1", "--step-warmup-seconds", "1"}))
                .hasMessageContaining("--step-warmup-seconds");
    }
}
