package io.mcpsession.benchmarks.report;

import org.jspecify.annotations.Nullable;

/**
 * One line of the results table: a figure, the baseline measured in the same run, their ratio, and the target.
 *
 * @param benchmark what was measured, such as {@code append (store API)}
 * @param variant the shape, such as {@code memory, 1000 sessions, 8 threads}
 * @param subject the figure of the library
 * @param baselineName what the baseline is
 * @param baseline the baseline's figure, or {@code null} for a row without one
 * @param ratio subject over baseline, or {@code null}
 * @param target the target, in words
 * @param verdict whether the target is met
 */
public record ResultRow(String benchmark, String variant, @Nullable Measurement subject, String baselineName,
        @Nullable Measurement baseline, @Nullable Measurement ratio, String target, Verdict verdict) {

    /** Whether a row meets its target. */
    public enum Verdict {

        MET("met"), MISSED("**missed**"), INFO("—"), PENDING("pending: store not landed");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return this.label;
        }

        /** {@link #MET} when {@code met}, else {@link #MISSED}. */
        public static Verdict of(boolean met) {
            return met ? MET : MISSED;
        }

    }

    /** A row with a baseline; the ratio is computed. */
    public static ResultRow compared(String benchmark, String variant, Measurement subject, String baselineName,
            Measurement baseline, String target, Verdict verdict) {
        return new ResultRow(benchmark, variant, subject, baselineName, baseline, subject.over(baseline), target,
                verdict);
    }

    /** A row of a store whose benchmark waits for it to land. */
    public static ResultRow pending(String benchmark, String variant, String target) {
        return new ResultRow(benchmark, variant, null, "", null, null, target, Verdict.PENDING);
    }

}
