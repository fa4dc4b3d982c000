package io.mcpsession.benchmarks.report;

import java.util.Locale;

/**
 * A measured value with its error (a JMH confidence half-width, or a standard deviation across rounds) and
 * its unit.
 *
 * @param value the value
 * @param error the error, in the value's unit (0 when unknown)
 * @param unit the unit, such as {@code ops/s} or {@code ms}
 */
public record Measurement(double value, double error, String unit) {

    public static Measurement of(double value, double error, String unit) {
        return new Measurement(value, Double.isFinite(error) ? Math.abs(error) : 0, unit);
    }

    /** A value from repeated rounds: their mean, with their standard deviation as the error. */
    public static Measurement ofRounds(double[] rounds, String unit) {
        return of(Stats.mean(rounds), Stats.stddev(rounds), unit);
    }

    /** This value over {@code baseline}, with relative errors added in quadrature. */
    public Measurement over(Measurement baseline) {
        double ratio = this.value / baseline.value;
        double relative = Math.sqrt(square(this.error / this.value) + square(baseline.error / baseline.value));
        return of(ratio, ratio * relative, "×");
    }

    private static double square(double x) {
        return Double.isFinite(x) ? x * x : 0;
    }

    /** As a table cell: {@code 512,000 ± 3,000 ops/s}, {@code 0.82 ± 0.03×}, {@code 1.20 ms}. */
    @Override
    public String toString() {
        if ("×".equals(this.unit)) {
            // A ratio of single figures (percentiles, sizes) has no error estimate: show none rather than ± 0.
            return (this.error > 0) ? String.format(Locale.ROOT, "%.2f ± %.2f×", this.value, this.error)
                    : String.format(Locale.ROOT, "%.2f×", this.value);
        }
        String pattern = (Math.abs(this.value) >= 100) ? "%,.0f" : (Math.abs(this.value) >= 10) ? "%.1f" : "%.2f";
        String value = String.format(Locale.ROOT, pattern, this.value);
        String error = String.format(Locale.ROOT, pattern, this.error);
        return (this.error > 0) ? value + " ± " + error + " " + this.unit : value + " " + this.unit;
    }

}
