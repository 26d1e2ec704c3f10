package io.artsore.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/** Pod-level knobs passed through to the workload's pod template. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodOverrides {
    public ResourceRequirements resources;

    public Map<String, String> nodeSelector;

    public List<Toleration> tolerations;

    @JsonPropertyDescription("Pod affinity; replicated elements default to preferred anti-affinity by hostname.")
    public Affinity affinity;

    @JsonPropertyDescription("Topology spread constraints; replicated elements default to one zone constraint"
            + " (maxSkew 1, ScheduleAnyway). An empty list turns the default off.")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    public Map<String, String> annotations;

    public List<LocalObjectReference> imagePullSecrets;

    public String serviceAccountName;

    public String priorityClassName;

    @Default("30")
    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds the element drains on SIGTERM (SE_SHUTDOWN_TIMEOUT). The pod's"
            + " terminationGracePeriodSeconds is derived: shutdownTimeoutSeconds + preStopSleepSeconds + 10.")
    public Integer shutdownTimeoutSeconds = 30;

    @Default("5")
    @Min(0)
    @Max(300)
    @JsonPropertyDescription("Seconds the preStop hook sleeps before SIGTERM, so endpoint removal propagates to"
            + " Service proxies and gateways first; 0 = no preStop hook.")
    public Integer preStopSleepSeconds = 5;

    @Default("60")
    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("Startup probe failures (10 s apart) tolerated while a large index is built.")
    public Integer startupFailureThreshold = 60;
}
