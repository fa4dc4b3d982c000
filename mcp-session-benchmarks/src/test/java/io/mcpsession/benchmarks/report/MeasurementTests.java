package io.mcpsession.benchmarks.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MeasurementTests {

    @Test
    void ratioAddsRelativeErrorsInQuadrature() {
        Measurement ratio = Measurement.of(300, 30, "ops/s").over(Measurement.of(600, 80, "ops/s"));

        assertThat(ratio.value()).isEqualTo(0.5);
        assertThat(ratio.error()).isCloseTo(0.5 * Math.sqrt(0.1 * 0.1 + (80.0 / 600) * (80.0 / 600)), within(1e-12));
        assertThat(ratio).hasToString("0.50 ± 0.08×");
    }

    @Test
    void figuresWithoutAnErrorEstimateShowNone() {
        assertThat(Measurement.of(2.4, 0, "ms").over(Measurement.of(1.2, 0, "ms"))).hasToString("2.00×");
        assertThat(Measurement.of(87_594, 0, "B")).hasToString("87,594 B");
        assertThat(Measurement.of(Double.NaN, Double.NaN, "ops/s").error()).isZero();
    }

    @Test
    void roundsGiveTheirMeanAndStandardDeviation() {
        Measurement rounds = Measurement.ofRounds(new double[] { 1, 2, 3 }, "req/s");

        assertThat(rounds.value()).isEqualTo(2);
        assertThat(rounds.error()).isEqualTo(1);
        assertThat(Stats.percentile(new double[] { 5, 1, 4, 2, 3 }, 50)).isEqualTo(3);
        assertThat(Stats.percentileMillis(new long[] { 1_000_000, 3_000_000 }, 99)).isEqualTo(3);
    }

}
