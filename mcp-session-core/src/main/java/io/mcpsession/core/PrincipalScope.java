package io.mcpsession.core;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Whose sessions a read shows: every principal's (an operator's view), or one principal's ({@code null} for the
 * anonymous sessions).
 *
 * @param all whether every principal's sessions are shown
 * @param principal the one principal shown when not {@code all}, {@code null} for the anonymous sessions
 */
public record PrincipalScope(boolean all, @Nullable String principal) {

    /** Every principal's sessions. */
    public static final PrincipalScope ALL = new PrincipalScope(true, null);

    /** The sessions of {@code principal} only ({@code null}: the anonymous ones). */
    public static PrincipalScope of(@Nullable String principal) {
        return new PrincipalScope(false, principal);
    }

    /** Whether a session owned by {@code owner} is shown. */
    public boolean includes(@Nullable String owner) {
        return this.all || Objects.equals(this.principal, owner);
    }

}
