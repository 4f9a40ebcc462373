package dev.modelgate.server;

import dev.modelgate.auth.Principal;
import dev.modelgate.error.ErrorCode;
import dev.modelgate.error.GatewayException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which document a request runs. Apollo's automatic persisted queries: a request may send only
 * {@code extensions.persistedQuery.sha256Hash}, and the document is the one sent earlier with that
 * hash (else {@code PERSISTED_QUERY_NOT_FOUND}, and the client sends it once with the hash); a
 * document whose hash is not the one sent is refused and not kept. Trusted documents
 * ({@code security.trustedDocuments}): only the manifest's documents run — by {@code documentId},
 * by hash, or as their full text — for every role but admin; any other is {@code FORBIDDEN}.
 */
final class Documents {
    /** Persisted queries kept, at most; past that the oldest half goes. */
    private static final int MAX_PERSISTED = 10_000;

    private final Map<String, String> trustedById;
    private final Map<String, String> trustedByHash;
    private final Map<String, String> persisted = new ConcurrentHashMap<>();

    /** {@code trusted}: id (or hash) → document; null: any document may run. */
    Documents(Map<String, String> trusted) {
        this.trustedById = trusted;
        if (trusted == null) {
            this.trustedByHash = null;
        } else {
            Map<String, String> byHash = new LinkedHashMap<>();
            trusted.values().forEach(d -> byHash.put(sha256(d), d));
            this.trustedByHash = byHash;
        }
    }

    static String sha256(String text) {
        return dev.modelgate.model.Hashes.sha256(text);
    }

    /**
     * The document to run for a request's {@code query}, {@code extensions} and {@code documentId},
     * or a GatewayException saying why none may.
     */
    String resolve(String query, Map<String, Object> extensions, String documentId, Principal principal) {
        String hash = hashOf(extensions);
        String document = query;
        if (documentId != null) {
            document = trustedById != null ? trustedById.get(documentId) : null;
            if (document == null && trustedByHash != null) {
                document = trustedByHash.get(documentId.startsWith("sha256:") ? documentId.substring(7) : documentId);
            }
            if (document == null) {
                throw new GatewayException(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "documentId " + documentId + " is not a trusted document");
            }
        } else if (hash != null) {
            if (query == null) {
                document = trustedByHash != null && trustedByHash.containsKey(hash) ? trustedByHash.get(hash) : persisted.get(hash);
                if (document == null) {
                    throw new GatewayException(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound");
                }
            } else {
                if (!sha256(query).equals(hash)) {
                    throw GatewayException.badInput("extensions.persistedQuery.sha256Hash is not the SHA-256 of the query; it was not stored");
                }
                if (persisted.size() >= MAX_PERSISTED) {
                    persisted.keySet().stream().limit(MAX_PERSISTED / 2).toList().forEach(persisted::remove);
                }
                persisted.put(hash, query);
            }
        } else if (query == null) {
            throw GatewayException.badInput("the request needs a \"query\" string (or a persisted query's hash, or a documentId)");
        }
        if (trustedByHash != null && (principal == null || !Principal.ADMIN.equals(principal.role()))
                && !trustedByHash.containsKey(sha256(document))) {
            throw new GatewayException(ErrorCode.FORBIDDEN, "only trusted documents run here (security.trustedDocuments); send a listed"
                    + " document's documentId or hash");
        }
        return document;
    }

    @SuppressWarnings("unchecked")
    private static String hashOf(Map<String, Object> extensions) {
        if (extensions == null || !(extensions.get("persistedQuery") instanceof Map<?, ?> pq)) {
            return null;
        }
        Object h = ((Map<String, Object>) pq).get("sha256Hash");
        if (!(h instanceof String s)) {
            throw GatewayException.badInput("extensions.persistedQuery needs a sha256Hash string");
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A trusted-documents manifest ({@code {"<id>": "<document>"}}), every document checked against
     * the derived schema: one that does not parse or validate stops the start, named.
     */
    static java.util.Map<String, String> load(java.nio.file.Path file, graphql.schema.GraphQLSchema schema) {
        java.util.Map<String, String> manifest;
        try {
            manifest = new com.fasterxml.jackson.databind.ObjectMapper().readValue(file.toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, String>>() {
                    });
        } catch (java.io.IOException e) {
            throw new dev.modelgate.error.CommandFailure("security.trustedDocuments: " + file + " is not a JSON object of id → document ("
                    + e.getMessage().lines().findFirst().orElse("") + ")", "give the manifest GraphQL Codegen's persisted documents or Relay's persist output writes", 2);
        }
        for (var e : manifest.entrySet()) {
            var result = graphql.ParseAndValidate.parseAndValidate(schema, graphql.ExecutionInput.newExecutionInput(e.getValue()).build());
            if (result.isFailure()) {
                throw new dev.modelgate.error.CommandFailure("security.trustedDocuments: document " + e.getKey() + " in " + file
                        + " does not validate against the models: " + result.getErrors().get(0).getMessage(),
                        "regenerate the manifest from the frontend's current documents, or change the models back", 2);
            }
        }
        return manifest;
    }
}
