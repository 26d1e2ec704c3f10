package io.artsore.operator.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.artsore.operator.crd.StorageElement;
import io.artsore.operator.runtime.TrustBundle;
import io.artsore.operator.status.Conditions;
import io.artsore.operator.support.PrivateCa;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** The flows a cluster user would run, each made of several checks (issue 16). */
final class StandInFlows {
    static final List<String> ALL = List.of("readme", "mode", "failover", "rollout");
    /** Flows run only when asked for with --flows. */
    static final List<String> EXTRA = List.of("se-test");
    private static final String NS = ClusterStandIn.NAMESPACE;
    private static final Duration START = Duration.ofSeconds(150);
    private static final Path REPO = Path.of("..");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final Podman podman;
    private final StandInKubelet kubelet;
    private final PrivateCa ca;
    private final StandInChecks checks;
    private final String imageTag;
    private final Path work;
    private final Path hosts;
    private final HttpClient http;

    StandInFlows(KubernetesClient client, Podman podman, StandInKubelet kubelet, PrivateCa ca, StandInChecks checks,
                 String imageTag, Path work, Path hosts) throws Exception {
        this.client = client;
        this.podman = podman;
        this.kubelet = kubelet;
        this.ca = ca;
        this.checks = checks;
        this.imageTag = imageTag;
        this.work = work;
        this.hosts = hosts;
        this.http = HttpClient.newBuilder().sslContext(TrustBundle.sslContext(ca.caCrt()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    void run(List<String> flows) throws Exception {
        for (String flow : flows) {
            switch (flow) {
                case "readme" -> readme();
                case "mode" -> modeChange();
                case "failover" -> failover();
                case "rollout" -> rollout();
                case "se-test" -> new SeTestFlow(client, ca, checks, imageTag, work, hosts).run();
                default -> throw new IllegalArgumentException("unknown flow " + flow + " (known: " + ALL + ", "
                        + EXTRA + ")");
            }
        }
    }

    /**
     * README "Kubernetes": token Secret + the example StorageElement (its JWKS server, standing for the admin
     * module, installed first), Ready=True through the private CA, then the smoke scenarios through the Service.
     */
    private void readme() throws Exception {
        String flow = "readme";
        apply(resource("jwks-mock.yaml"));
        if (!checks.within(flow, "the JWKS server (jwks-mock) is ready behind its Service", START,
                () -> get("/jwks", "jwks-mock", 8080).statusCode() == 200)) {
            return;
        }
        String token = token("se-operator", "[\"storage:write\"]");
        // as `kubectl create secret generic --from-literal` sends them: base64 data (the mock keeps stringData as is)
        client.resource(new SecretBuilder().withNewMetadata().withName("se-operator-token").withNamespace(NS)
                .endMetadata().addToData("token", base64(token)).build()).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("cluster-ca").withNamespace(NS)
                .endMetadata().addToData("ca.crt", base64(Files.readString(ca.caCrt()))).build()).create();
        apply(resource("se-01.yaml"));
        if (!checks.within(flow, "se-01 Ready=True", START, () -> "True".equals(condition("se-01", "Ready")))) {
            return;
        }
        checks.check(flow, "status.phase Running, mode rw, leader is the pod", () -> {
            StorageElement se = element("se-01");
            return "Running".equals(se.getStatus().phase) && "rw".equals(se.getStatus().mode)
                    && se.getStatus().leader != null && se.getStatus().leader.startsWith("se-01-");
        });
        String container = containerOf("se-01");
        checks.check(flow, "the element runs as uid 10001", () ->
                podman.run("exec", container, "id", "-u").equals("10001"));
        checks.check(flow, "the root filesystem is read-only", () ->
                podman.tryRun(List.of("exec", container, "touch", "/standin-probe")).exitCode() != 0);
        checks.check(flow, "scenario scripts (smoke group) pass through the Service name", () -> smokeScripts("se-01"));
    }

    /** spec.mode rw → ro: the element changes mode in place, no restart, ModeSynced=True. */
    private void modeChange() throws Exception {
        String flow = "mode";
        String container = containerOf("se-01");
        String startedAt = podman.run("inspect", "-f", "{{.State.StartedAt}}", container);
        client.resources(StorageElement.class).inNamespace(NS).withName("se-01")
                .edit(se -> {
                    se.getSpec().mode = io.artsore.operator.crd.ElementMode.RO;
                    return se;
                });
        checks.within(flow, "ModeSynced=True and status.mode ro", START, () ->
                "True".equals(condition("se-01", "ModeSynced")) && "ro".equals(element("se-01").getStatus().mode)
                        && element("se-01").getMetadata().getGeneration()
                        .equals(element("se-01").getStatus().observedGeneration));
        checks.check(flow, "the element reports mode ro", () ->
                get("/api/v1/info", "se-01", 8010).body().contains("\"mode\":\"ro\""));
        checks.check(flow, "same container, same start time (no restart)", () ->
                containerOf("se-01").equals(container)
                        && podman.run("inspect", "-f", "{{.State.StartedAt}}", container).equals(startedAt));
        checks.check(flow, "Ready=True", () -> "True".equals(condition("se-01", "Ready")));
    }

    /** Three replicas; SIGKILL of the leader's container: another pod leads, the status says so, no upload lost. */
    private void failover() throws Exception {
        String flow = "failover";
        apply(resource("se-rep.yaml"));
        if (!checks.within(flow, "se-rep Ready=True with 3 ready replicas and a leader", START, () -> {
            StorageElement se = element("se-rep");
            return "True".equals(condition("se-rep", "Ready")) && Integer.valueOf(3).equals(se.getStatus().readyReplicas)
                    && se.getStatus().leader != null;
        })) {
            return;
        }
        String writer = "Bearer " + token("standin-writer", "[\"files:read\",\"files:write\"]");
        byte[] before = randomBytes(65536);
        String fileId = upload("se-rep", writer, before);
        checks.check(flow, "an upload through the Service is acknowledged", () -> fileId != null);
        String leader = element("se-rep").getStatus().leader;
        String leaderContainer = kubelet.containerIds().get(NS + "/" + leader);
        podman.run("kill", "-s", "KILL", leaderContainer);
        checks.within(flow, "after SIGKILL of " + leader + " another pod leads and status.leader shows it", START, () -> {
            String now = element("se-rep").getStatus().leader;
            return now != null && !now.equals(leader);
        });
        checks.within(flow, "the acknowledged upload is served after the failover", START, () ->
                Arrays.equals(download("se-rep", writer, fileId), before));
        checks.within(flow, "uploads work again", START, () -> upload("se-rep", writer, randomBytes(1024)) != null);
        checks.within(flow, "the killed pod is restarted and Ready=True with 3 ready replicas", START, () ->
                "True".equals(condition("se-rep", "Ready"))
                        && Integer.valueOf(3).equals(element("se-rep").getStatus().readyReplicas));
    }

    /**
     * spec.image to a second tag of the same image while a client uploads: the pods are replaced one by one,
     * every acknowledged upload is still there afterwards, and uploads keep being acknowledged during the rollout.
     */
    private void rollout() throws Exception {
        String flow = "rollout";
        String secondTag = "localhost/artsore/storage-element:standin-" + podman.runId();
        podman.run("tag", "localhost/artsore/storage-element:" + imageTag, secondTag);
        try {
            String writer = "Bearer " + token("standin-load", "[\"files:read\",\"files:write\"]");
            UploadLoad load = new UploadLoad(content -> upload("se-rep", writer, content));
            load.start();
            try {
                client.resources(StorageElement.class).inNamespace(NS).withName("se-rep").edit(se -> {
                    se.getSpec().image = secondTag;
                    return se;
                });
                checks.within(flow, "every pod runs the new image, Ready=True with 3 ready replicas",
                        Duration.ofSeconds(300), () -> {
                            List<Pod> pods = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", "se-rep")
                                    .list().getItems();
                            return pods.size() == 3 && pods.stream().allMatch(p -> secondTag.equals(
                                    p.getSpec().getContainers().get(0).getImage()) && isReady(p))
                                    && "True".equals(condition("se-rep", "Ready"));
                        });
            } finally {
                load.stop();
            }
            checks.check(flow, "uploads were acknowledged during the rollout (" + load.summary() + ")",
                    () -> load.acknowledged().size() >= 3);
            checks.check(flow, "every replaced pod's preStop hook ran in its container", () -> {
                if (!kubelet.hookFailures().isEmpty()) {
                    throw new IllegalStateException(String.join("; ", kubelet.hookFailures()));
                }
                return true;
            });
            checks.check(flow, "every acknowledged upload is served after the rollout", () -> {
                for (Map.Entry<String, byte[]> e : load.acknowledged().entrySet()) {
                    if (!Arrays.equals(download("se-rep", writer, e.getKey()), e.getValue())) {
                        throw new IllegalStateException("file " + e.getKey() + " is missing or differs");
                    }
                }
                return true;
            });
        } finally {
            podman.tryRun(List.of("untag", "localhost/artsore/storage-element:" + imageTag, secondTag));
        }
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** POST /api/v1/files/upload (multipart, field "file"); the file_id, or an exception naming the refusal. */
    private String upload(String service, String authorization, byte[] content) throws Exception {
        String boundary = "standin" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"standin.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(serviceUri(service, "/api/v1/files/upload"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " "
                    + JSON.readTree(response.body()).path("error").path("code")
                    .asText("(no error code)"));
        }
        return jsonString(response.body(), "file_id");
    }

    private byte[] download(String service, String authorization, String fileId) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                        serviceUri(service, "/api/v1/files/" + fileId + "/download"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return response.statusCode() == 200 ? response.body() : null;
    }

    private static String jsonString(String json, String field) throws IOException {
        return JSON.readTree(json).path(field).asText(null);
    }

    private static URI serviceUri(String service, String path) {
        return URI.create("https://" + service + "." + NS + ".svc:8010" + path);
    }

    private boolean smokeScripts(String service) throws Exception {
        String url = "https://" + service + "." + NS + ".svc:8010";
        String ip = podIp(service);
        ProcessBuilder pb = new ProcessBuilder("bash", REPO.resolve("e2e/scripts/test-all.sh").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("smoke.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("TEST_GROUPS", "smoke");
        env.put("NO_COLOR", "1");
        for (String var : List.of("SE_EDIT_1_URL", "SE_EDIT_2_URL", "SE_RW_1_URL", "SE_RW_2_URL", "SE_RO_URL", "SE_AR_URL")) {
            env.put(var, url);
        }
        env.put("CURL_OPTS", "-s --connect-timeout 5 --max-time 60 --cacert " + ca.caCrt().toAbsolutePath()
                + " --resolve " + service + "." + NS + ".svc:8010:" + ip);
        Process process = pb.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the scenario scripts did not finish in 5 minutes");
        }
        List<String> lines = Files.readAllLines(work.resolve("smoke.log"));
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (process.exitValue() != 0 || !last.matches("\\d+ passed, 0 failed")) {
            throw new IllegalStateException("test-all.sh: " + last + " (see " + work.resolve("smoke.log") + ")");
        }
        return true;
    }

    private String token(String subject, String scopes) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("https://jwks-mock." + NS + ".svc:8080/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sub\":\"" + subject + "\",\"scopes\":" + scopes
                        + ",\"ttl_seconds\":3600}")).build(), HttpResponse.BodyHandlers.ofString());
        return jsonString(response.body(), "token");
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path, String service, int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("https://" + service + "." + NS + ".svc:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private StorageElement element(String name) {
        return client.resources(StorageElement.class).inNamespace(NS).withName(name).get();
    }

    private String condition(String name, String type) {
        StorageElement se = element(name);
        Condition c = se == null || se.getStatus() == null ? null : Conditions.find(se.getStatus().conditions, type);
        return c == null ? null : c.getStatus();
    }

    private Pod podOf(String element) {
        return client.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", element).list().getItems()
                .stream().findFirst().orElseThrow(() -> new IllegalStateException("no pod of " + element));
    }

    private String podIp(String element) {
        return podOf(element).getStatus().getPodIP();
    }

    private String containerOf(String element) {
        return kubelet.containerIds().get(NS + "/" + podOf(element).getMetadata().getName());
    }

    private String resource(String name) throws Exception {
        try (var in = StandInFlows.class.getResourceAsStream("/standin/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${IMAGE_TAG}", imageTag);
        }
    }

    private void apply(String yaml) {
        for (HasMetadata object : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            client.resource(object).inNamespace(NS).create();
        }
    }
}
