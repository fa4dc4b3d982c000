package io.mcpsession.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells whether a request comes from an operator who sees and manages every principal's sessions and feed
 * entries ({@code mcp.session.security.admin-authority}). Everyone else sees only its own principal's.
 */
@FunctionalInterface
public interface AdminAccess {

    /** No caller is an operator. */
    AdminAccess NONE = (request) -> false;

    /** Whether {@code request} comes from an operator. */
    boolean isAdmin(HttpServletRequest request);

    /** Operators are the callers in the servlet container's role {@code role}. */
    static AdminAccess containerRole(String role) {
        return (request) -> request.isUserInRole(role);
    }

}
