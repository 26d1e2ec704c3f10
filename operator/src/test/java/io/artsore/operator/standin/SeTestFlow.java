package io.artsore.operator.standin;

import com.marcnuri.helm.Helm;
import io.artsore.operator.support.PrivateCa;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Flow se-test: the se-test chart as `helm install --wait` would install it (its post-install hook, the init
 * Job, once every other object is ready), then every group of e2e/scripts/test-all.sh against the elements
 * through their Service names. The chart is rendered with helm-java, the library the e2e chart tests use. It
 * leaves hooks out (as `helm template --no-hooks`), so the Job is rendered as a plain resource
 * ({@code initJob.asHook=false}) and held back here until the rest is ready. The other values changed are the
 * image tags and the init Job's image: the chart's default (Alpine, installing bash, curl and jq at start) needs
 * a registry, so the Job runs localhost/artsore/se-test-tools (Dockerfile.se-test-tools) instead.
 */
final class SeTestFlow {
    static final String NS = "se-test";
    private static final String FLOW = "se-test";
    private static final List<String> GROUPS = List.of("smoke", "files", "modes", "replica", "data", "gc-reconcile",
            "errors");
    private static final Duration START = Duration.ofSeconds(240);
    private static final Duration INIT = Duration.ofSeconds(300);
    private static final Path REPO = Path.of("..");

    private final KubernetesClient client;
    private final PrivateCa ca;
    private final StandInChecks checks;
    private final String imageTag;
    private final Path work;
    private final Path hosts;

    SeTestFlow(KubernetesClient client, PrivateCa ca, StandInChecks checks, String imageTag, Path work, Path hosts) {
        this.client = client;
        this.ca = ca;
        this.checks = checks;
        this.imageTag = imageTag;
        this.work = work;
        this.hosts = hosts;
    }

    void run() throws Exception {
        List<HasMetadata> jobs = new ArrayList<>();
        List<HasMetadata> objects = new ArrayList<>();
        for (HasMetadata object : render()) {
            (object instanceof Job ? jobs : objects).add(object);
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        objects.forEach(o -> client.resource(o).inNamespace(NS).create());
        if (!checks.within(FLOW, "every element and the JWKS server of the chart are ready", START,
                this::workloadsReady)) {
            return;
        }
        jobs.forEach(o -> client.resource(o).inNamespace(NS).create());
        if (!checks.within(FLOW, "the init Job (init-data.sh) succeeded", INIT, this::initJobSucceeded)) {
            return;
        }
        Path curlDir = curlThroughClusterDns();
        for (String group : GROUPS) {
            checks.check(FLOW, "scenario group " + group + " (test-all.sh) passes", () -> scenarioGroup(group, curlDir));
        }
    }

    /** `helm template se-test charts/se-test -n se-test` with the stand-in's images. */
    private List<HasMetadata> render() {
        String manifests = new Helm(REPO.resolve("charts/se-test").toAbsolutePath().normalize()).template()
                .withName("se-test").withNamespace(NS)
                .set("images.storageElement.tag", imageTag)
                .set("images.jwksMock.tag", imageTag)
                .set("initJob.image.repository", "localhost/artsore/se-test-tools")
                .set("initJob.image.tag", imageTag)
                .set("initJob.setupCommand", "")
                .set("initJob.asHook", false)
                .call();
        return client.load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8))).items();
    }

    private boolean workloadsReady() {
        List<Deployment> deployments = client.apps().deployments().inNamespace(NS).list().getItems();
        List<StatefulSet> sets = client.apps().statefulSets().inNamespace(NS).list().getItems();
        return !deployments.isEmpty() && !sets.isEmpty()
                && deployments.stream().allMatch(d -> d.getStatus() != null
                        && Objects.equals(d.getStatus().getReadyReplicas(), d.getSpec().getReplicas()))
                && sets.stream().allMatch(s -> s.getStatus() != null
                        && Objects.equals(s.getStatus().getReadyReplicas(), s.getSpec().getReplicas()));
    }

    /** True once succeeded; an exception (ending the wait) once the Job has failed. */
    private boolean initJobSucceeded() {
        Job job = client.batch().v1().jobs().inNamespace(NS).withName("se-test-init").get();
        if (job == null || job.getStatus() == null) {
            return false;
        }
        if (job.getStatus().getConditions().stream().anyMatch(c -> "Failed".equals(c.getType()))) {
            throw new IllegalStateException("the init Job failed " + job.getStatus().getFailed()
                    + " times (its containers' output: podman logs, --keep)");
        }
        return job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0;
    }

    /** A directory holding `curl`: the wrapper that resolves Service names as the pods see them. */
    private Path curlThroughClusterDns() throws Exception {
        Path dir = Files.createDirectories(work.resolve("se-test-bin"));
        Path curl = dir.resolve("curl");
        try (var in = SeTestFlow.class.getResourceAsStream("/standin/curl-cluster-dns.sh")) {
            Files.copy(Objects.requireNonNull(in), curl);
        }
        Files.setPosixFilePermissions(curl, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private boolean scenarioGroup(String group, Path curlDir) throws Exception {
        Path log = work.resolve("se-test-" + group + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("e2e/scripts/test-all.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        String path = env.get("PATH");
        env.put("STANDIN_CURL", realCurl(path).toString());
        env.put("PATH", curlDir.toAbsolutePath() + ":" + path);
        env.put("STANDIN_HOSTS", hosts.toAbsolutePath().toString());
        env.put("TEST_GROUPS", group);
        env.put("NO_COLOR", "1");
        env.put("JWKS_MOCK_URL", url("jwks-mock", 8080));
        for (String element : List.of("se-edit-1", "se-edit-2", "se-rw-1", "se-rw-2", "se-ro", "se-ar")) {
            env.put(element.toUpperCase().replace('-', '_') + "_URL", url(element, 8010));
        }
        env.put("CURL_OPTS", "-s --connect-timeout 5 --max-time 60 --cacert " + ca.caCrt().toAbsolutePath());
        env.put("SE_EDIT_1_URLS", replicaUrl(0) + " " + replicaUrl(1));
        String pods = client.getMasterUrl() + "api/v1/namespaces/" + NS + "/pods/";
        // the pod name is the first label of the replica URL's host; the kubelet stand-in replaces a deleted pod
        env.put("KILL_LEADER_CMD", "h=${1#https://}; curl -sfk -o /dev/null -X DELETE '" + pods + "'\"${h%%.*}\"");
        env.put("START_REPLICA_CMD", "curl -sfk -o /dev/null -X PATCH -H 'Content-Type: application/merge-patch+json'"
                + " -d '{\"spec\":{\"replicas\":3}}' '" + client.getMasterUrl() + "apis/apps/v1/namespaces/" + NS
                + "/statefulsets/se-edit-1' || exit 1\n"
                // the pod's name is in the hosts file once it is ready
                + "for i in $(seq 180); do curl $CURL_OPTS -fo /dev/null '" + replicaUrl(2) + "/health/ready'"
                + " && break; sleep 1; done\necho '" + replicaUrl(2) + "'");
        Process process = pb.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("test-all.sh did not finish in 8 minutes (see " + log + ")");
        }
        List<String> lines = Files.readAllLines(log);
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (process.exitValue() != 0 || !last.matches("\\d+ passed, 0 failed")) {
            throw new IllegalStateException("test-all.sh: " + last + "; "
                    + lines.stream().filter(l -> l.startsWith("FAIL ")).toList());
        }
        return true;
    }

    private static Path realCurl(String path) {
        for (String dir : path.split(":")) {
            Path curl = Path.of(dir, "curl");
            if (Files.isExecutable(curl)) {
                return curl;
            }
        }
        throw new IllegalStateException("no curl on PATH (the scenario scripts need curl and jq)");
    }

    private static String url(String service, int port) {
        return "https://" + service + "." + NS + ".svc:" + port;
    }

    private static String replicaUrl(int ordinal) {
        return "https://se-edit-1-" + ordinal + ".se-edit-1-headless." + NS + ".svc.cluster.local:8010";
    }
}
