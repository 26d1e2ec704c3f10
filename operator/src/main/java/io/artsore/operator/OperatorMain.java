package io.artsore.operator;

import io.artsore.operator.mode.ElementEndpointResolver;
import io.artsore.operator.runtime.JsonLogFormatter;
import io.artsore.operator.runtime.OperatorRuntime;
import io.artsore.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Entry point of the operator jar. Configuration comes from the environment (see OperatorSettings). */
public final class OperatorMain {
    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        installJsonLogging();
        OperatorSettings settings;
        try {
            settings = OperatorSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorRuntime runtime = OperatorRuntime.start(client, settings, ElementEndpointResolver.clusterDns(),
                Clock.systemUTC(), () -> System.exit(1));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /** JSON lines on stderr unless OPERATOR_LOG_FORMAT=text. */
    static void installJsonLogging() {
        if ("text".equalsIgnoreCase(System.getenv("OPERATOR_LOG_FORMAT"))) {
            return;
        }
        LogManager.getLogManager().reset();
        Handler handler = new ConsoleHandler();
        handler.setFormatter(new JsonLogFormatter());
        Logger.getLogger("").addHandler(handler);
    }
}
