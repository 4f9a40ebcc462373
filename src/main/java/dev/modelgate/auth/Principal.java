package dev.modelgate.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a request runs as: a role and the session variables its permission filters may use
 * ({@code role}, {@code userId} from {@code sub}, and every other claim by name).
 */
public record Principal(String role, Map<String, Object> variables) {
    public static final String ADMIN = dev.modelgate.model.Permissions.ADMIN;
    public static final String ANONYMOUS = "anonymous";

    public Principal {
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    public static Principal admin() {
        return new Principal(ADMIN, Map.of("role", ADMIN));
    }

    public static Principal anonymous() {
        return new Principal(ANONYMOUS, Map.of("role", ANONYMOUS));
    }

    public boolean isAdmin() {
        return ADMIN.equals(role);
    }
}
