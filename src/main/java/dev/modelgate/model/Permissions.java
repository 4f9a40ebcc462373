package dev.modelgate.model;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code @allow} rules of every model, by role (docs/security.md). When no model declares
 * any, every role may do everything; once one does, what is not allowed is denied. The role
 * {@code admin} may always do everything.
 */
public final class Permissions {
    public static final String ADMIN = "admin";

    private final Models models;
    private final Map<String, Allow> byModelAndRole = new HashMap<>();

    public Permissions(Models models) {
        this.models = models;
        models.allows().forEach(a -> byModelAndRole.put(a.model() + "\u0000" + a.role(), a));
    }

    public Models models() {
        return models;
    }

    /** Whether any permission is declared; without one, every role may do everything. */
    public boolean active() {
        return !byModelAndRole.isEmpty();
    }

    /** Whether {@code role} is bound by no rule at all (admin, or no rules declared). */
    public boolean unrestricted(String role) {
        return !active() || ADMIN.equals(role);
    }

    /** The rule for a role on a model; null when there is none (everything denied). */
    public Allow allow(String role, Model m) {
        return byModelAndRole.get(m.name() + "\u0000" + role);
    }

    public boolean allows(String role, Model m, Allow.Op op) {
        if (unrestricted(role)) {
            return true;
        }
        Allow a = allow(role, m);
        return a != null && a.filter(op) != null;
    }

    /** Whether the role sees (and may write) a field or relation of the model. */
    public boolean shows(String role, Model m, String member) {
        if (unrestricted(role)) {
            return true;
        }
        Allow a = allow(role, m);
        return a == null || a.shows(member);
    }
}
