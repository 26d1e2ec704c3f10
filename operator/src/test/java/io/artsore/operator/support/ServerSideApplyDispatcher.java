package io.artsore.operator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test harness: server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}) in front of the
 * fabric8 CRUD mock, which does not implement it. The operator uses real server-side apply; this class gives
 * the mock the part of its semantics the operator relies on:
 * <ul>
 *   <li>the object is created when absent;</li>
 *   <li>every field in the applied configuration is set (force: the applier takes it whoever had it);</li>
 *   <li>a field the same field manager applied last time and no longer applies is removed;</li>
 *   <li>fields nobody applied through this manager (server defaults, other actors such as
 *       {@code kubectl rollout restart}) stay;</li>
 *   <li>an apply that changes nothing writes nothing (no new resourceVersion, no watch event).</li>
 * </ul>
 * Simplification: lists are atomic (a real server merges keyed lists such as containers by name); the operator
 * is the only applier of its objects, so the result is the same for it.
 * It also records every write and can answer an apply with an injected error (a refused claim resize).
 */
public final class ServerSideApplyDispatcher extends Dispatcher {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Dispatcher delegate;
    /** What each field manager applied last to each object path: the fields it owns. */
    private final Map<String, JsonNode> owned = new HashMap<>();
    private final Map<String, MockResponse> injected = new HashMap<>();
    private final Map<String, Integer> refused = new HashMap<>();
    private final List<String> writes = Collections.synchronizedList(new ArrayList<>());

    public ServerSideApplyDispatcher(Dispatcher delegate) {
        this.delegate = delegate;
    }

    /** Every apply to the object path (e.g. {@code /api/v1/namespaces/ns/persistentvolumeclaims/x}) fails. */
    public synchronized void failApplies(String objectPath, int code, String message) {
        String status = """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":%s,"reason":"Invalid","code":%d}"""
                .formatted(JSON.valueToTree(message).toString(), code);
        injected.put(objectPath, new MockResponse().setResponseCode(code).setBody(status));
    }

    /** How many applies to the object path were answered with the injected error. */
    public synchronized int refusals(String objectPath) {
        return refused.getOrDefault(objectPath, 0);
    }

    public synchronized void stopFailing(String objectPath) {
        injected.remove(objectPath);
    }

    /** "METHOD path" of every request that changed something (no-op applies are not writes). */
    public List<String> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (request.method() == HttpMethod.PATCH && contentType != null && contentType.contains("apply-patch")) {
            return apply(request);
        }
        MockResponse response = delegate.dispatch(request);
        if (request.method() != HttpMethod.GET && response.code() < 300) {
            writes.add(request.getMethod() + " " + request.getPath());
            if (request.method() == HttpMethod.DELETE) {
                forget(pathOnly(request.getPath()));
            }
        }
        return response;
    }

    private synchronized MockResponse apply(RecordedRequest request) {
        String path = pathOnly(request.getPath());
        MockResponse failure = injected.get(path);
        if (failure != null) {
            refused.merge(path, 1, Integer::sum);
            return failure;
        }
        String key = query(request.getPath()).getOrDefault("fieldManager", "") + " " + path;
        JsonNode applied;
        try {
            applied = YAML.readTree(request.getBody().getBytes());
        } catch (IOException e) {
            return new MockResponse().setResponseCode(400).setBody("unreadable apply body");
        }
        MockResponse current = delegate.dispatch(synthetic(HttpMethod.GET, path, null));
        if (current.code() == 404) {
            MockResponse created = delegate.dispatch(synthetic(HttpMethod.POST,
                    path.substring(0, path.lastIndexOf('/')), applied.toString()));
            if (created.code() < 300) {
                owned.put(key, applied);
                writes.add("APPLY(create) " + path);
            }
            return created;
        }
        JsonNode live = readJson(current);
        ObjectNode next = (ObjectNode) live.deepCopy();
        JsonNode previous = owned.get(key);
        if (previous != null) {
            removeDropped(next, previous, applied);
        }
        setApplied(next, applied);
        if (next.equals(live)) {
            owned.put(key, applied);
            return new MockResponse().setResponseCode(200).setBody(live.toString());
        }
        MockResponse updated = delegate.dispatch(synthetic(HttpMethod.PUT, path, next.toString()));
        if (updated.code() < 300) {
            owned.put(key, applied);
            writes.add("APPLY " + path);
        }
        return updated;
    }

    /** Removes what the manager owned before ({@code previous}) and no longer applies ({@code applied}). */
    private static void removeDropped(ObjectNode target, JsonNode previous, JsonNode applied) {
        previous.properties().forEach(field -> {
            String name = field.getKey();
            JsonNode now = applied == null ? null : applied.get(name);
            JsonNode live = target.get(name);
            if (field.getValue().isObject() && live != null && live.isObject()) {
                removeDropped((ObjectNode) live, field.getValue(),
                        now != null && now.isObject() ? now : JsonNodeFactory.instance.objectNode());
                if (live.isEmpty() && now == null) {
                    target.remove(name);
                }
            } else if (now == null) {
                target.remove(name);
            }
        });
    }

    private static void setApplied(ObjectNode target, JsonNode applied) {
        applied.properties().forEach(field -> {
            JsonNode live = target.get(field.getKey());
            if (field.getValue().isObject() && live != null && live.isObject()) {
                setApplied((ObjectNode) live, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    private void forget(String path) {
        synchronized (this) {
            owned.keySet().removeIf(k -> k.endsWith(" " + path));
        }
    }

    private static JsonNode readJson(MockResponse response) {
        try {
            return JSON.readTree(response.getBody().getBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RecordedRequest synthetic(HttpMethod method, String path, String body) {
        Headers headers = Headers.builder().add("Content-Type", "application/json").build();
        Buffer buffer = new Buffer();
        if (body != null) {
            buffer.writeUtf8(body);
        }
        return new RecordedRequest("HTTP/1.1", method, path, headers, buffer);
    }

    private static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static Map<String, String> query(String path) {
        Map<String, String> params = new HashMap<>();
        int q = path.indexOf('?');
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }
}
