package io.mcpsession.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of the session list, ordered by {@code createdAt}, then {@code id}.
 *
 * @param sessions the sessions
 * @param nextCursor the id of the last session on the page, or {@code null} when none follows
 */
public record SessionPage(List<Session> sessions, @Nullable String nextCursor) {
}
