package io.mcpsession.core;

/**
 * Where a log stands: what a reader needs to know to resume.
 *
 * @param latest the highest seq ever assigned in {@code epoch} (0 when none)
 * @param earliestRetained the lowest seq still stored ({@code latest + 1} when none is)
 * @param epoch the history this position belongs to
 */
public record LogPosition(long latest, long earliestRetained, String epoch) {
}
