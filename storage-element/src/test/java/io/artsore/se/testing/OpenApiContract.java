package io.artsore.se.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The project's OpenAPI document ({@value #RESOURCE}) as a test oracle: checks that a real response
 * (status, content type, required headers, JSON body) is one the contract documents.
 *
 * <p>Thread-safe; {@link #load()} returns a shared instance. Failures are {@link AssertionError}s
 * listing every violation found, so any test framework reports them.
 */
public final class OpenApiContract {

    /** Classpath location of the document (it is a main resource: the server also serves it at /openapi). */
    public static final String RESOURCE = "openapi/storage-element.yaml";

    private static final String DOCUMENT_IRI = "classpath:" + RESOURCE;
    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String JSON = "application/json";
    private static final String NO_ROUTE_NOT_FOUND = "/components/responses/NotFound";
    private static final String NO_ROUTE_WRONG_METHOD = "/components/responses/ValidationError";

    private static volatile OpenApiContract shared;

    private final JsonNode document;
    private final ObjectMapper json = new ObjectMapper();
    private final JsonSchemaFactory schemaFactory;
    private final SchemaValidatorsConfig schemaConfig;
    private final Map<String, JsonSchema> schemasByPointer = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
        JsonSchemaFactory base = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        this.schemaFactory = JsonSchemaFactory.builder(base)
                .metaSchema(OpenApi30.getInstance())
                .defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
                .build();
        this.schemaConfig = SchemaValidatorsConfig.builder()
                .locale(Locale.ENGLISH) // messages in one language whatever the JVM's default locale
                .nullableKeywordEnabled(true)
                .formatAssertionsEnabled(true)
                .build();
    }

    /** The shared instance, parsed once from the classpath resource. */
    public static OpenApiContract load() {
        OpenApiContract instance = shared;
        if (instance == null) {
            synchronized (OpenApiContract.class) {
                if (shared == null) {
                    shared = new OpenApiContract(readDocument());
                }
                instance = shared;
            }
        }
        return instance;
    }

    private static JsonNode readDocument() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource not found: " + RESOURCE);
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + RESOURCE, e);
        }
    }

    /** The parsed document (read-only use). */
    public JsonNode document() {
        return document;
    }

    // ---------------------------------------------------------------- routes

    /** Every documented path template, e.g. {@code /api/v1/files/{file_id}}. */
    public Set<String> pathTemplates() {
        Set<String> templates = new TreeSet<>();
        document.path("paths").fieldNames().forEachRemaining(templates::add);
        return templates;
    }

    /** Upper-case methods documented for a template (empty if the template is unknown). */
    public Set<String> methods(String pathTemplate) {
        Set<String> methods = new TreeSet<>();
        document.path("paths").path(pathTemplate).fieldNames().forEachRemaining(name -> {
            if (HTTP_METHODS.contains(name)) {
                methods.add(name.toUpperCase(Locale.ROOT));
            }
        });
        return methods;
    }

    /** Status codes documented for an operation; throws AssertionError if the operation is not documented. */
    public Set<Integer> documentedStatuses(String method, String pathTemplate) {
        Set<Integer> statuses = new TreeSet<>();
        operation(method, pathTemplate).path("responses").fieldNames()
                .forEachRemaining(code -> statuses.add(Integer.parseInt(code)));
        return statuses;
    }

    /** True when the operation needs no token (its {@code security} is the empty list). */
    public boolean isPublic(String method, String pathTemplate) {
        JsonNode security = operation(method, pathTemplate).get("security");
        if (security == null) {
            security = document.path("security");
        }
        return security.isArray() && security.isEmpty();
    }

    /** Scopes a token needs for the operation ({@code x-required-scopes}); empty for public operations. */
    public List<String> requiredScopes(String method, String pathTemplate) {
        List<String> scopes = new ArrayList<>();
        operation(method, pathTemplate).path("x-required-scopes").forEach(s -> scopes.add(s.asText()));
        return scopes;
    }

    /**
     * The template a concrete path is routed to, if it serves {@code method}. The query string is
     * ignored. Literal segments win over parameters (OpenAPI rule), so {@code GET /api/v1/files/upload}
     * resolves to nothing: the upload path exists but has no GET.
     */
    public Optional<String> resolveTemplate(String method, String rawPath) {
        return bestTemplate(rawPath).filter(template -> methods(template).contains(method.toUpperCase(Locale.ROOT)));
    }

    private Optional<String> bestTemplate(String rawPath) {
        int query = rawPath.indexOf('?');
        String[] segments = (query >= 0 ? rawPath.substring(0, query) : rawPath).split("/", -1);
        return pathTemplates().stream()
                .filter(template -> matches(template.split("/", -1), segments))
                .max(Comparator.comparing(OpenApiContract::literalShape));
    }

    private static boolean matches(String[] template, String[] path) {
        if (template.length != path.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            boolean parameter = template[i].startsWith("{") && template[i].endsWith("}");
            if (parameter ? path[i].isEmpty() || path[i].contains("/") : !template[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }

    /** '1' for a literal segment, '0' for a parameter: a literal earlier in the path sorts higher. */
    private static String literalShape(String template) {
        StringBuilder shape = new StringBuilder();
        for (String segment : template.split("/", -1)) {
            shape.append(segment.startsWith("{") ? '0' : '1');
        }
        return shape.toString();
    }

    // ---------------------------------------------------------------- responses

    /**
     * Asserts a response without header checks (only the content type and the body are checked).
     * {@code contentType} is null when the response had none (pass a typed {@code (String) null}).
     */
    public void assertResponse(String method, String pathTemplate, int status, String contentType, byte[] body) {
        fail(method + " " + pathTemplate + " -> " + status,
                responseViolations(method, pathTemplate, status, name -> Optional.empty(), contentType, body, false));
    }

    /**
     * Asserts a response including its required headers. {@code headers} looks a header up by name,
     * case-insensitively (e.g. {@code java.net.http.HttpHeaders::firstValue}).
     */
    public void assertResponse(String method, String pathTemplate, int status,
                               Function<String, Optional<String>> headers, byte[] body) {
        fail(method + " " + pathTemplate + " -> " + status, violations(method, pathTemplate, status, headers, body));
    }

    /**
     * Asserts a response of the JDK HTTP client, routing it by its request's method and path. A path or
     * method the document does not serve must be answered as {@link #assertNoRouteResponse} says.
     */
    public void assertResponse(HttpResponse<byte[]> response) {
        String method = response.request().method();
        String rawPath = response.request().uri().getRawPath();
        Optional<String> template = resolveTemplate(method, rawPath);
        if (template.isPresent()) {
            assertResponse(method, template.get(), response.statusCode(), response.headers()::firstValue,
                    response.body());
        } else {
            assertNoRouteResponse(response.statusCode(), response.headers()::firstValue, response.body());
        }
    }

    /**
     * Asserts the answer to a request no documented operation serves: 404 {@code NOT_FOUND}, or 405 with
     * an {@code Allow} header and {@code VALIDATION_ERROR}, as a JSON ErrorResponse (document's policy).
     */
    public void assertNoRouteResponse(int status, Function<String, Optional<String>> headers, byte[] body) {
        List<String> problems = new ArrayList<>();
        String responsePointer = switch (status) {
            case 404 -> NO_ROUTE_NOT_FOUND;
            case 405 -> {
                if (headers.apply("Allow").isEmpty()) {
                    problems.add("405 without an Allow header");
                }
                yield NO_ROUTE_WRONG_METHOD;
            }
            default -> null;
        };
        if (responsePointer == null) {
            problems.add("an unrouted request must answer 404 or 405, got " + status);
        } else {
            problems.addAll(checkResponse(locate(responsePointer), headers,
                    headers.apply("Content-Type").orElse(null), body, true));
        }
        fail("unrouted request -> " + status, problems);
    }

    /** Every way the response departs from the document; empty when it conforms. Headers are checked. */
    public List<String> violations(String method, String pathTemplate, int status,
                                   Function<String, Optional<String>> headers, byte[] body) {
        return responseViolations(method, pathTemplate, status, headers,
                headers.apply("Content-Type").orElse(null), body, true);
    }

    /** Violations of a JSON value against {@code #/components/schemas/<name>}; empty when valid. */
    public List<String> schemaViolations(String schemaName, String jsonText) {
        JsonNode schemaNode = document.path("components").path("schemas").path(schemaName);
        if (schemaNode.isMissingNode()) {
            throw new IllegalArgumentException("no schema named " + schemaName);
        }
        JsonNode value = parse(jsonText.getBytes(StandardCharsets.UTF_8));
        if (value == null) {
            return List.of("not JSON: " + jsonText);
        }
        return validate("/components/schemas/" + escape(schemaName), value);
    }

    private List<String> responseViolations(String method, String pathTemplate, int status,
                                            Function<String, Optional<String>> headers, String contentType,
                                            byte[] body, boolean checkHeaders) {
        JsonNode responses = operation(method, pathTemplate).path("responses");
        String statusKey = Integer.toString(status);
        if (!responses.has(statusKey)) {
            return List.of("status " + status + " is not documented for " + method.toUpperCase(Locale.ROOT)
                    + " " + pathTemplate + " (documented: " + documentedStatuses(method, pathTemplate) + ")");
        }
        Located response = follow(responses.get(statusKey),
                operationPointer(method, pathTemplate) + "/responses/" + statusKey);
        return checkResponse(response, headers, contentType, body, checkHeaders);
    }

    private List<String> checkResponse(Located response, Function<String, Optional<String>> headers,
                                       String contentType, byte[] body, boolean checkHeaders) {
        List<String> problems = new ArrayList<>();
        if (checkHeaders) {
            problems.addAll(headerViolations(response, headers));
        }
        JsonNode content = response.node().get("content");
        if (content == null || content.isEmpty()) {
            if (body != null && body.length > 0) {
                problems.add("the response documents no body, got " + body.length + " bytes");
            }
            return problems;
        }
        if (contentType == null) {
            problems.add("missing Content-Type (documented: " + mediaTypes(content) + ")");
            return problems;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Optional<String> documented = matchingMediaType(content, mediaType);
        if (documented.isEmpty()) {
            problems.add("Content-Type " + contentType + " is not documented (documented: " + mediaTypes(content) + ")");
            return problems;
        }
        if (documented.get().equals(JSON)) {
            JsonNode value = parse(body);
            if (value == null) {
                problems.add("the body is not JSON");
            } else {
                problems.addAll(validate(response.pointer() + "/content/" + escape(JSON) + "/schema", value));
            }
        }
        return problems;
    }

    private List<String> headerViolations(Located response, Function<String, Optional<String>> headers) {
        List<String> problems = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> declared = response.node().path("headers").fields();
        while (declared.hasNext()) {
            Map.Entry<String, JsonNode> entry = declared.next();
            String name = entry.getKey();
            Located header = follow(entry.getValue(), response.pointer() + "/headers/" + escape(name));
            Optional<String> value = headers.apply(name);
            if (value.isEmpty()) {
                if (header.node().path("required").asBoolean(false)) {
                    problems.add("missing required header " + name);
                }
                continue;
            }
            if (header.node().has("schema")) {
                String schemaPointer = header.pointer() + "/schema";
                for (String problem : validate(schemaPointer, headerValue(header.node().get("schema"), value.get()))) {
                    problems.add("header " + name + ": " + value.get() + ": " + problem);
                }
            }
        }
        return problems;
    }

    /** Header values are text; integer-typed headers are compared as numbers. */
    private static JsonNode headerValue(JsonNode schema, String value) {
        if ("integer".equals(schema.path("type").asText())) {
            try {
                return LongNode.valueOf(Long.parseLong(value.trim()));
            } catch (NumberFormatException notANumber) {
                return TextNode.valueOf(value);
            }
        }
        return TextNode.valueOf(value);
    }

    private static Optional<String> matchingMediaType(JsonNode content, String mediaType) {
        Set<String> candidates = mediaTypes(content);
        if (candidates.contains(mediaType)) {
            return Optional.of(mediaType);
        }
        String family = mediaType.contains("/") ? mediaType.substring(0, mediaType.indexOf('/')) : mediaType;
        if (candidates.contains(family + "/*")) {
            return Optional.of(family + "/*");
        }
        return candidates.contains("*/*") ? Optional.of("*/*") : Optional.empty();
    }

    private static Set<String> mediaTypes(JsonNode content) {
        Set<String> types = new LinkedHashSet<>();
        content.fieldNames().forEachRemaining(name -> types.add(name.toLowerCase(Locale.ROOT)));
        return types;
    }

    private List<String> validate(String schemaPointer, JsonNode value) {
        JsonSchema schema = schemasByPointer.computeIfAbsent(schemaPointer,
                pointer -> schemaFactory.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer), schemaConfig));
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schema.validate(value)) {
            problems.add(message.getMessage());
        }
        return problems;
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    // ---------------------------------------------------------------- document navigation

    private JsonNode operation(String method, String pathTemplate) {
        JsonNode path = document.path("paths").get(pathTemplate);
        if (path == null) {
            throw new AssertionError("path " + pathTemplate + " is not documented (documented: " + pathTemplates() + ")");
        }
        JsonNode operation = path.get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            throw new AssertionError(method.toUpperCase(Locale.ROOT) + " " + pathTemplate
                    + " is not documented (documented methods: " + methods(pathTemplate) + ")");
        }
        return operation;
    }

    private static String operationPointer(String method, String pathTemplate) {
        return "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
    }

    /** A document node and its JSON pointer (needed so the schema validator resolves refs in place). */
    private record Located(JsonNode node, String pointer) {
    }

    private Located locate(String pointer) {
        return follow(document.at(pointer), pointer);
    }

    /** Follows local {@code $ref}s of response and header objects (schemas resolve theirs in the validator). */
    private Located follow(JsonNode node, String pointer) {
        Located current = new Located(node, pointer);
        while (current.node().has("$ref")) {
            String ref = current.node().get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only local refs are supported: " + ref);
            }
            String target = ref.substring(1);
            JsonNode resolved = document.at(target);
            if (resolved.isMissingNode()) {
                throw new IllegalStateException("dangling ref " + ref + " at " + current.pointer());
            }
            current = new Located(resolved, target);
        }
        return current;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static void fail(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new AssertionError("response does not match the OpenAPI contract: " + what + "\n  - "
                    + String.join("\n  - ", problems));
        }
    }
}
