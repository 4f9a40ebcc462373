package dev.modelgate.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.modelgate.config.Config;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's credentials into a {@link Principal} (docs/security.md): the admin secret
 * header makes it {@code admin}; a bearer JWT, verified by nimbus-jose-jwt against the
 * configured HS256 secret or RS256/ES256 key (PEM or JWKS), gives its role claim (or the
 * default role) and its claims as session variables; nothing gives {@code anonymous}.
 * Unsigned ({@code alg: none}), expired, not-yet-valid, wrongly signed or malformed tokens
 * are {@code UNAUTHENTICATED}.
 */
public final class Authenticator {
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final byte[] adminSecret;
    private final List<DefaultJWTProcessor<SecurityContext>> processors = new ArrayList<>();
    private final String roleClaim;
    private final String defaultRole;

    /** Reads keys at start; a bad key or secret is an IllegalArgumentException (exit 2). */
    public Authenticator(Config.Auth cfg) {
        this.adminSecret = blank(cfg.adminSecret) ? null : cfg.adminSecret.getBytes(StandardCharsets.UTF_8);
        this.roleClaim = blank(cfg.roleClaim) ? "role" : cfg.roleClaim;
        this.defaultRole = blank(cfg.defaultRole) ? "user" : cfg.defaultRole;
        if (!blank(cfg.jwtSecret)) {
            byte[] secret = cfg.jwtSecret.getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("the JWT secret must be at least 32 bytes (256 bits) for HS256");
            }
            processors.add(processor(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret)), cfg));
        }
        List<JWK> keys = new ArrayList<>();
        if (!blank(cfg.jwtPublicKey)) {
            keys.add(pem(Path.of(cfg.jwtPublicKey)));
        }
        if (!blank(cfg.jwks)) {
            try {
                keys.addAll(JWKSet.load(Path.of(cfg.jwks).toFile()).getKeys());
            } catch (IOException | ParseException e) {
                throw new IllegalArgumentException(cfg.jwks + ": not a readable JWKS file (" + e.getMessage() + ")");
            }
        }
        if (!keys.isEmpty()) {
            processors.add(processor(new JWSVerificationKeySelector<>(ASYMMETRIC, new ImmutableJWKSet<>(new JWKSet(keys))), cfg));
        }
    }

    public static Authenticator none() {
        return new Authenticator(new Config.Auth());
    }

    /** Whether any way to sign in is configured (admin secret or token keys). */
    public boolean configured() {
        return adminSecret != null || !processors.isEmpty();
    }

    /**
     * The principal of a request from its {@code Authorization} and
     * {@code X-Modelgate-Admin-Secret} headers (either may be null).
     */
    public Principal authenticate(String authorization, String adminSecretHeader) {
        if (adminSecretHeader != null) {
            if (adminSecret == null || !MessageDigest.isEqual(adminSecret, adminSecretHeader.getBytes(StandardCharsets.UTF_8))) {
                throw unauthenticated("the admin secret is wrong");
            }
            return Principal.admin();
        }
        if (authorization == null || authorization.isBlank()) {
            return Principal.anonymous();
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw unauthenticated("the Authorization header must be \"Bearer <token>\"");
        }
        if (processors.isEmpty()) {
            throw unauthenticated("bearer tokens are not accepted: no JWT secret or key is configured");
        }
        JWTClaimsSet claims = verify(parts[1]);
        Map<String, Object> vars = new LinkedHashMap<>(claims.getClaims());
        vars.replaceAll((k, v) -> v instanceof java.util.Date d ? d.toInstant().getEpochSecond() : v);
        if (claims.getSubject() != null) {
            vars.put("userId", claims.getSubject());
        }
        Object role = vars.get(roleClaim);
        String roleName = role instanceof String r && !r.isBlank() ? r : defaultRole;
        vars.put("role", roleName);
        return new Principal(roleName, vars);
    }

    private JWTClaimsSet verify(String token) {
        Exception last = null;
        for (DefaultJWTProcessor<SecurityContext> p : processors) {
            try {
                return p.process(token, null);
            } catch (ParseException e) {
                throw unauthenticated("the bearer token is not a JWT");
            } catch (BadJOSEException | JOSEException e) {
                last = e;
            }
        }
        String why = last == null ? "" : last.getMessage();
        if (why != null && why.contains("xpired")) {
            throw unauthenticated("the bearer token has expired");
        }
        throw unauthenticated("the bearer token is not valid (unsigned, signed with another key, or not yet valid)");
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWSVerificationKeySelector<SecurityContext> keys, Config.Auth cfg) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(keys);
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (!blank(cfg.issuer)) {
            exact.issuer(cfg.issuer);
        }
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(blank(cfg.audience) ? null : cfg.audience, exact.build(), new HashSet<>()));
        return p;
    }

    /** An RSA or EC public key from a PEM file ("-----BEGIN PUBLIC KEY-----"). */
    static JWK pem(Path file) {
        try {
            String text = Files.readString(file);
            String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
            byte[] der = Base64.getDecoder().decode(body);
            for (String alg : List.of("RSA", "EC")) {
                try {
                    PublicKey key = KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
                    if (key instanceof RSAPublicKey rsa) {
                        return new RSAKey.Builder(rsa).build();
                    }
                    ECPublicKey ec = (ECPublicKey) key;
                    return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
                } catch (GeneralSecurityException ignored) {
                    // try the next algorithm
                }
            }
            throw new IllegalArgumentException(file + ": not an RSA or EC public key in PEM (X.509 SubjectPublicKeyInfo)");
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException(file + ": not a readable PEM public key (" + e.getMessage() + ")");
        }
    }

    private static GatewayException unauthenticated(String message) {
        return new GatewayException(ErrorCode.UNAUTHENTICATED, message);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
