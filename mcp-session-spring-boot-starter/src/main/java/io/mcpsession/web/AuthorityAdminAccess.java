package io.mcpsession.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Operators are the callers whose Spring Security authentication holds one authority, taken as it is (a token's
 * {@code SCOPE_…} authorities included; {@link HttpServletRequest#isUserInRole(String)} would add a role
 * prefix).
 */
public final class AuthorityAdminAccess implements AdminAccess {

    private final String authority;

    /**
     * @param authority the authority that makes a caller an operator
     */
    public AuthorityAdminAccess(String authority) {
        this.authority = authority;
    }

    @Override
    public boolean isAdmin(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return false;
        }
        for (GrantedAuthority granted : authentication.getAuthorities()) {
            if (this.authority.equals(granted.getAuthority())) {
                return true;
            }
        }
        return false;
    }

}
