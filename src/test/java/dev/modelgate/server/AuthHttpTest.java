package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.modelgate.api.PermissionTest;
import dev.modelgate.auth.Authenticator;
import dev.modelgate.config.Config;
import dev.modelgate.exec.Gateway;
import dev.modelgate.exec.Telemetry;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication over real HTTP: HS256, RS256 (PEM) and ES256 (JWKS) bearer tokens, the
 * admin secret, and the tokens an attacker sends: expired, unsigned, wrongly signed,
 * algorithm-confused, or for a role with no rights.
 */
class AuthHttpTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final String ADMIN = "let-me-in";
    static final HttpClient http = HttpClient.newHttpClient();
    static Fixture f;
    static HttpServer app;
    static HttpServer closed;
    static String base;
    static KeyPair rsa;
    static KeyPair ec;

    @BeforeAll
    static void start() throws Exception {
        f = Fixture.on(TestDb.SQLITE, PermissionTest.SDL);
        f.sql("INSERT INTO authors (id, name) VALUES (1, 'Alice'), (2, 'Bob')",
                "INSERT INTO posts (id, title, published, likes, secret, author_id) VALUES "
                        + "(1, 'A public', 1, 0, 's1', 1), (2, 'A draft', 0, 0, 's2', 1), (3, 'B draft', 0, 0, 's3', 2)");
        KeyPairGenerator rg = KeyPairGenerator.getInstance("RSA");
        rg.initialize(2048);
        rsa = rg.generateKeyPair();
        KeyPairGenerator eg = KeyPairGenerator.getInstance("EC");
        eg.initialize(Curve.P_256.toECParameterSpec());
        ec = eg.generateKeyPair();
        Path dir = Files.createTempDirectory("modelgate-keys");
        Path pem = dir.resolve("rsa.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Path jwks = dir.resolve("keys.json");
        Files.writeString(jwks, new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).keyID("ec1").build()).toString());
        Config.Auth auth = new Config.Auth();
        auth.adminSecret = ADMIN;
        auth.jwtSecret = SECRET;
        auth.jwtPublicKey = pem.toString();
        auth.jwks = jwks.toString();
        app = HttpServer.create(new Gateway(f.models, f.db), new Config.Server(), null, new Authenticator(auth)).start("127.0.0.1", 0);
        Config.Limits noIntrospection = Config.Limits.defaults();
        noIntrospection.introspection = false;
        closed = HttpServer.create(new Gateway(f.models, f.db, Telemetry.none(), noIntrospection), new Config.Server(), null,
                new Authenticator(auth)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() {
        app.stop();
        closed.stop();
        f.close();
    }

    static String token(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(alg == JWSAlgorithm.ES256 ? "ec1" : null).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static JWTClaimsSet claims(String sub, String role, long expiresInSeconds) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject(sub).expirationTime(new Date(System.currentTimeMillis() + expiresInSeconds * 1000));
        if (role != null) {
            b.claim("role", role);
        }
        return b.build();
    }

    static String hs256(String sub, String role) throws Exception {
        return token(new MACSigner(SECRET), JWSAlgorithm.HS256, claims(sub, role, 600));
    }

    static HttpResponse<String> graphql(String query, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/graphql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Fixture.JSON.writeValueAsString(Map.of("query", query))));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(String query, Map<String, String> headers) throws Exception {
        HttpResponse<String> r = graphql(query, headers);
        JsonNode body = Fixture.JSON.readTree(r.body());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(body.path("errors").isMissingNode(), r.body());
        return body.get("data");
    }

    static void unauthenticated(Map<String, String> headers) throws Exception {
        HttpResponse<String> r = graphql("{ posts { id } }", headers);
        assertEquals(401, r.statusCode(), r.body());
        JsonNode body = Fixture.JSON.readTree(r.body());
        assertEquals("UNAUTHENTICATED", body.at("/errors/0/extensions/code").asText(), r.body());
        assertTrue(body.path("data").isMissingNode(), r.body());
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static List<Integer> ids(JsonNode data) {
        return data.get("posts").findValues("id").stream().map(JsonNode::asInt).toList();
    }

    @Test
    void withoutCredentialsTheRoleIsAnonymous() throws Exception {
        assertEquals(List.of(1), ids(ok("{ posts { id } }", Map.of())));
    }

    @Test
    void tokensOfEveryConfiguredKindGiveTheirRoleAndSessionVariables() throws Exception {
        assertEquals(List.of(1, 2), ids(ok("{ posts { id } }", bearer(hs256("1", "user")))));
        assertEquals(List.of(1, 3), ids(ok("{ posts { id } }", bearer(hs256("2", null)))));   // no role claim: the default role, user
        assertEquals(List.of(1, 2), ids(ok("{ posts { id } }",
                bearer(token(new RSASSASigner((RSAPrivateKey) rsa.getPrivate()), JWSAlgorithm.RS256, claims("1", "user", 600))))));
        assertEquals(List.of(1, 3), ids(ok("{ posts { id } }",
                bearer(token(new ECDSASigner((ECPrivateKey) ec.getPrivate()), JWSAlgorithm.ES256, claims("2", "user", 600))))));
        assertEquals(List.of(1), ids(ok("{ posts { id } }", bearer(hs256("9", "anonymous")))));
    }

    @Test
    void badTokensAreUnauthenticated() throws Exception {
        unauthenticated(bearer(token(new MACSigner(SECRET), JWSAlgorithm.HS256, claims("1", "user", -3600))));   // expired an hour ago
        unauthenticated(bearer(new PlainJWT(claims("1", "admin", 600)).serialize()));                           // alg: none
        unauthenticated(bearer(token(new MACSigner("another-secret-another-secret-another"), JWSAlgorithm.HS256, claims("1", "user", 600))));
        KeyPairGenerator rg = KeyPairGenerator.getInstance("RSA");
        rg.initialize(2048);
        unauthenticated(bearer(token(new RSASSASigner(rg.generateKeyPair().getPrivate()), JWSAlgorithm.RS256, claims("1", "user", 600))));
        // algorithm confusion: HS256 "signed" with the RSA public key as the secret
        unauthenticated(bearer(token(new MACSigner(rsa.getPublic().getEncoded()), JWSAlgorithm.HS256, claims("1", "admin", 600))));
        String good = hs256("1", "user");
        String[] parts = good.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"2\",\"role\":\"admin\"}".getBytes());
        unauthenticated(bearer(parts[0] + "." + forged + "." + parts[2]));                                      // claims swapped, signature kept
        unauthenticated(bearer("not-a-jwt"));
        unauthenticated(Map.of("Authorization", "Basic dXNlcjpwYXNz"));
        unauthenticated(Map.of("X-Modelgate-Admin-Secret", "guess"));
    }

    @Test
    void aTokenForARoleWithoutRulesIsForbidden() throws Exception {
        HttpResponse<String> r = graphql("{ posts { id } }", bearer(hs256("1", "editor")));
        JsonNode body = Fixture.JSON.readTree(r.body());
        assertEquals("FORBIDDEN", body.at("/errors/0/extensions/code").asText(), r.body());
        assertFalse(r.body().contains("s1"), r.body());
    }

    @Test
    void theAdminSecretMayDoEverything() throws Exception {
        JsonNode data = ok("{ posts { id secret } }", Map.of("X-Modelgate-Admin-Secret", ADMIN));
        assertEquals(3, data.get("posts").size());
        assertEquals("s1", data.at("/posts/0/secret").asText());
    }

    @Test
    void theSchemaEndpointShowsTheCallersSchemaAndHonoursTheIntrospectionSwitch() throws Exception {
        String anon = http.send(HttpRequest.newBuilder(URI.create(base + "/schema.graphql")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String admin = http.send(HttpRequest.newBuilder(URI.create(base + "/schema.graphql")).header("X-Modelgate-Admin-Secret", ADMIN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(admin.contains("secret: String"), admin);
        assertTrue(anon.contains("type Post"), anon);
        assertFalse(anon.contains("secret: String"), anon);
        HttpResponse<String> off = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed.port() + "/schema.graphql"))
                .header("X-Modelgate-Admin-Secret", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, off.statusCode());
    }
}
