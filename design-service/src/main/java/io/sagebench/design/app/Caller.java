package io.sagebench.design.app;

import java.util.Set;

/**
 * Who asks: the verified token's name and roles (its {@code groups} claim). {@code name} is null only where
 * authentication is off (dev mode); then the design's own submittedBy stands.
 */
public record Caller(String name, Set<String> roles) {

    public static final String VIEWER = "viewer";
    public static final String DESIGNER = "designer";
    public static final String OPERATOR = "operator";

    public Caller {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public static Caller anonymous() {
        return new Caller(null, Set.of());
    }

    public boolean authenticated() {
        return name != null;
    }

    public boolean mayDesign() {
        return roles.contains(DESIGNER) || roles.contains(OPERATOR);
    }

    /** Operators cancel any design; designers only their own. */
    public boolean mayCancel(String submittedBy) {
        if (!authenticated() || roles.contains(OPERATOR)) {
            return true;
        }
        return roles.contains(DESIGNER) && name.equals(submittedBy);
    }
}
