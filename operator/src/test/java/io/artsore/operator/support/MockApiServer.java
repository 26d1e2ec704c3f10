package io.artsore.operator.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension like {@code @EnableKubernetesMockClient(crud = true)}, with server-side apply in front of the
 * CRUD mock ({@link ServerSideApplyDispatcher}). Injects the test's fields of type KubernetesClient,
 * KubernetesMockServer (expectations still work) and ServerSideApplyDispatcher. Listens on 127.0.0.1.
 */
public final class MockApiServer implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(MockApiServer.class);

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        ServerSideApplyDispatcher apply = new ServerSideApplyDispatcher(new KubernetesMixedDispatcher(responses));
        KubernetesMockServer server = start(responses, apply);
        KubernetesClient client = server.createClient();
        context.getStore(STORE).put("server", server);
        context.getStore(STORE).put("client", client);
        Object test = context.getRequiredTestInstance();
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Object value = field.getType() == KubernetesClient.class ? client
                        : field.getType() == KubernetesMockServer.class ? server
                        : field.getType() == ServerSideApplyDispatcher.class ? apply : null;
                if (value != null) {
                    field.setAccessible(true);
                    field.set(test, value);
                }
            }
        }
    }

    /** The CRUD mock with server-side apply, listening on 127.0.0.1 on a free port. */
    public static KubernetesMockServer start() throws java.io.IOException {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        return start(responses, new ServerSideApplyDispatcher(new KubernetesMixedDispatcher(responses)));
    }

    private static KubernetesMockServer start(Map<ServerRequest, Queue<ServerResponse>> responses,
                                              ServerSideApplyDispatcher apply) throws java.io.IOException {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                apply, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        KubernetesClient client = context.getStore(STORE).remove("client", KubernetesClient.class);
        if (client != null) {
            client.close();
        }
        KubernetesMockServer server = context.getStore(STORE).remove("server", KubernetesMockServer.class);
        if (server != null) {
            server.destroy();
        }
    }
}
