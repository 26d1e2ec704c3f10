package io.artsore.operator.standin;

import io.artsore.operator.mode.ElementEndpointResolver;
import io.artsore.operator.runtime.OperatorRuntime;
import io.artsore.operator.runtime.OperatorSettings;
import io.artsore.operator.support.MockApiServer;
import io.artsore.operator.support.MockCluster;
import io.artsore.operator.support.PrivateCa;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A cluster stand-in (docs/cluster-standin.md): the mock API server in CRUD mode, the operator running against
 * it in this process, and {@link StandInKubelet} + {@link CertManagerStandIn} + {@link ServiceDns} turning what
 * the operator writes into podman containers of the real images. Runs the flows of {@link StandInFlows} and
 * prints "N passed, M failed" last.
 *
 * <p>Started by scripts/cluster-standin.sh from the operator directory, with {@code -Djdk.net.hosts.file}
 * (the host side of the fake cluster DNS) and {@code -Dstandin.work} (scratch directory). Arguments:
 * {@code --keep} (leave everything running until interrupted), {@code --flows readme,mode,...}.
 */
public final class ClusterStandIn {
    static final String NAMESPACE = "storage";

    /** Held so that the level sticks: the mock server logs every request at INFO. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private ClusterStandIn() {
    }

    public static void main(String[] args) throws Exception {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
        boolean keep = Arrays.asList(args).contains("--keep");
        List<String> flows = flowsArgument(args);
        Path work = Path.of(System.getProperty("standin.work"));
        Path hosts = Path.of(System.getProperty("jdk.net.hosts.file"));
        String imageTag = System.getProperty("standin.imageTag", "dev");
        Podman podman = new Podman(System.getProperty("standin.runId", "s" + ProcessHandle.current().pid()));
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        StandInChecks checks = new StandInChecks();
        AtomicBoolean flowsEnded = new AtomicBoolean();
        AtomicBoolean summaryPrinted = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C, kill or the script's timeout: the containers go even when main is still inside a flow
            stopping.set(true);
            podman.removeEverything();
            if (!flowsEnded.get()) {
                checks.check("stand-in", "the flows ended before the run was stopped", () -> false);
            }
            if (summaryPrinted.compareAndSet(false, true)) {
                System.out.println(checks.summary());
            }
            stopped.countDown();
        }, "standin-cleanup"));

        KubernetesMockServer server = MockApiServer.start();
        KubernetesClient client = server.createClient();
        String network = "standin-" + podman.runId();
        List<Thread> loops = new ArrayList<>();
        OperatorRuntime operator = null;
        try {
            podman.run("network", "create", "--label", podman.label(), network);
            MockCluster.installCrd(client);
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                    .build()).create();
            PrivateCa ca = PrivateCa.create(work.resolve("pki"));
            StandInKubelet kubelet = new StandInKubelet(client, podman, network,
                    new PodVolumes(client, podman, work.resolve("volumes")), new ServiceDns(hosts));
            CertManagerStandIn certManager = new CertManagerStandIn(client, ca, work.resolve("issued"));
            // separate threads: issuing a certificate (keytool) takes seconds and must not hold up the probes
            loops.add(loop("standin-cert-manager", certManager::issueMissing, stopping));
            loops.add(loop("standin-kubelet", kubelet::sync, stopping));
            operator = OperatorRuntime.start(client, OperatorSettings.fromEnv(Map.of(
                            "OPERATOR_LEADER_ELECTION", "false", "OPERATOR_HTTP_PORT", "0",
                            "WATCH_NAMESPACES", NAMESPACE, "OPERATOR_RESYNC_SECONDS", "30")),
                    ElementEndpointResolver.clusterDns(), Clock.systemUTC(), () -> { });
            new StandInFlows(client, podman, kubelet, ca, checks, imageTag, work, hosts).run(flows);
            flowsEnded.set(true);
            if (keep) {
                System.out.println(checks.summary());
                System.out.println("the stand-in keeps running (Ctrl-C stops it and removes its containers):");
                System.out.println("  API server:  " + client.getMasterUrl() + "  (namespace " + NAMESPACE + ")");
                System.out.println("  containers:  podman ps --filter label=" + podman.label());
                System.out.println("  elements:    curl --cacert " + ca.caCrt() + " --resolve <svc>.storage.svc:8010:<ip>"
                        + " https://<svc>.storage.svc:8010/api/v1/info   (ip: see " + hosts + ")");
                stopped.await();
            }
        } catch (Exception e) {
            flowsEnded.set(true);
            checks.check("stand-in", "setup and flows run to the end", () -> {
                throw e;
            });
        } finally {
            stopping.set(true);
            if (operator != null) {
                operator.close();
            }
            for (Thread loop : loops) {
                loop.join(10_000);
            }
            podman.removeEverything();
            client.close();
            server.destroy();
        }
        if (summaryPrinted.compareAndSet(false, true)) {
            System.out.println(checks.summary());
        }
        System.exit(checks.failed() == 0 ? 0 : 1);
    }

    /** A pass of a cluster component, once a second until the stand-in stops. */
    private static Thread loop(String name, Pass pass, AtomicBoolean stopping) {
        Thread thread = new Thread(() -> {
            while (!stopping.get()) {
                try {
                    pass.run();
                } catch (Exception e) {
                    System.getLogger(ClusterStandIn.class.getName()).log(System.Logger.Level.WARNING,
                            name + " pass failed: " + e);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private interface Pass {
        void run() throws Exception;
    }

    private static List<String> flowsArgument(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--flows")) {
                return List.of(args[i + 1].split(","));
            }
        }
        return StandInFlows.ALL;
    }
}
