using Platform.Contracts;

namespace Platform.Deploy.Tests;

public sealed class KubernetesTests
{
    public static TheoryData<string> Overlays => new() { "dev", "prod" };

    private static readonly string[] Services = ["ingestion", "feature-store", "inference", "alerting"];

    private static IEnumerable<(string Kind, string Name, object? PodSpec)> Workloads(string overlay) =>
        Kustomize.Render(overlay)
            .Where(d => Yaml.Text(d, "kind") is "Deployment" or "StatefulSet" or "Job")
            .Select(d => (Yaml.Text(d, "kind")!, Yaml.Text(d, "metadata.name")!, Yaml.At(d, "spec.template.spec")));

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_EveryServiceHasADeploymentServiceAndDisruptionBudget(string overlay)
    {
        foreach (var service in Services)
        {
            var deployment = Kustomize.Named(overlay, "Deployment", service);
            Kustomize.Named(overlay, "Service", service);
            // Label keys contain dots, so the selector map is read directly.
            var budget = Kustomize.OfKind(overlay, "PodDisruptionBudget").SingleOrDefault(p =>
                Yaml.AsMap(Yaml.At(p, "spec.selector"))?["matchLabels"] is Dictionary<string, object?> labels && labels.GetValueOrDefault("app.kubernetes.io/name")?.ToString() == service);
            Assert.True(budget is not null, $"{overlay}: no PodDisruptionBudget selects {service}");
            Assert.NotNull(deployment);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_EveryWorkloadHasProbesResourcesAndAHardenedSecurityContext(string overlay)
    {
        var problems = new List<string>();
        foreach (var (kind, name, pod) in Workloads(overlay))
        {
            var podSecurity = Yaml.At(pod, "securityContext");
            foreach (var container in Yaml.AsList(Yaml.At(pod, "containers")))
            {
                var where = $"{overlay} {kind}/{name} container {Yaml.Text(container, "name")}";
                if (kind != "Job" && (Yaml.At(container, "livenessProbe") is null || Yaml.At(container, "readinessProbe") is null))
                {
                    problems.Add($"{where}: needs livenessProbe and readinessProbe");
                }

                foreach (var resource in new[] { "requests.cpu", "requests.memory", "limits.memory" })
                {
                    if (Yaml.At(container, "resources." + resource) is null)
                    {
                        problems.Add($"{where}: no resources.{resource}");
                    }
                }

                var security = Yaml.At(container, "securityContext");
                if (Yaml.Text(security, "runAsNonRoot") != "true" && Yaml.Text(podSecurity, "runAsNonRoot") != "true")
                {
                    problems.Add($"{where}: not runAsNonRoot");
                }

                if (Yaml.Text(security, "readOnlyRootFilesystem") != "true")
                {
                    problems.Add($"{where}: root filesystem is writable");
                }

                if (Yaml.Text(security, "allowPrivilegeEscalation") != "false")
                {
                    problems.Add($"{where}: allowPrivilegeEscalation is not false");
                }

                if (!Yaml.AsList(Yaml.At(security, "capabilities.drop")).Select(c => c?.ToString()).Contains("ALL"))
                {
                    problems.Add($"{where}: does not drop ALL capabilities");
                }

                // A read-only root needs a writable /tmp (.NET's diagnostics and the services' temp files).
                var tmp = Yaml.AsList(Yaml.At(container, "volumeMounts")).FirstOrDefault(m => Yaml.Text(m, "mountPath") == "/tmp");
                var volume = Yaml.AsList(Yaml.At(pod, "volumes")).FirstOrDefault(v => Yaml.Text(v, "name") == Yaml.Text(tmp, "name"));
                if (tmp is null || Yaml.At(volume, "emptyDir") is null)
                {
                    problems.Add($"{where}: /tmp is not an emptyDir");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_ServicesProbeTheirHealthEndpoints(string overlay)
    {
        foreach (var service in Services)
        {
            var container = Yaml.AsList(Yaml.At(Kustomize.Named(overlay, "Deployment", service), "spec.template.spec.containers")).Single();
            Assert.Equal("/health/live", Yaml.Text(container, "livenessProbe.httpGet.path"));
            Assert.Equal("/health/ready", Yaml.Text(container, "readinessProbe.httpGet.path"));
            Assert.Equal("1654", Yaml.Text(Kustomize.Named(overlay, "Deployment", service), "spec.template.spec.securityContext.runAsUser"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_EnvironmentNamesAreSettingsTheServicesRead(string overlay)
    {
        var problems = new List<string>();
        foreach (var service in Services)
        {
            var container = Yaml.AsList(Yaml.At(Kustomize.Named(overlay, "Deployment", service), "spec.template.spec.containers")).Single();
            var names = Yaml.AsList(Yaml.At(container, "env")).Select(e => Yaml.Text(e, "name")!).ToList();
            foreach (var source in Yaml.AsList(Yaml.At(container, "envFrom")))
            {
                var configMap = Yaml.Text(source, "configMapRef.name") ?? throw new Xunit.Sdk.XunitException($"{service}: envFrom only from ConfigMaps");
                names.AddRange(Yaml.AsMap(Yaml.At(Kustomize.Named(overlay, "ConfigMap", configMap), "data"))!.Keys);
            }

            Assert.NotEmpty(names);
            problems.AddRange(names.Select(n => ConfigurationKeys.Problem(service, n)).OfType<string>().Select(p => $"{overlay} {service}: {p}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_SecretReferencesNameExistingKeys(string overlay)
    {
        var secrets = Kustomize.OfKind(overlay, "Secret").ToDictionary(s => Yaml.Text(s, "metadata.name")!, s => Yaml.AsMap(Yaml.At(s, "stringData"))?.Keys.ToHashSet() ?? []);
        var references = Workloads(overlay)
            .SelectMany(w => Yaml.AsList(Yaml.At(w.PodSpec, "containers")))
            .SelectMany(c => Yaml.AsList(Yaml.At(c, "env")))
            .Select(e => Yaml.At(e, "valueFrom.secretKeyRef"))
            .Where(r => r is not null)
            .ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(
            secrets.TryGetValue(Yaml.Text(r, "name")!, out var keys) && keys.Contains(Yaml.Text(r, "key")!),
            $"{overlay}: secretKeyRef {Yaml.Text(r, "name")}/{Yaml.Text(r, "key")} does not exist"));
        // The service secrets come from the Secret, never from plain values in a ConfigMap.
        var ingestion = Yaml.AsList(Yaml.At(Kustomize.Named(overlay, "Deployment", "ingestion"), "spec.template.spec.containers")).Single();
        Assert.Contains(Yaml.AsList(Yaml.At(ingestion, "env")), e => Yaml.Text(e, "name") == "Ingestion__CustomerHashKey" && Yaml.At(e, "valueFrom.secretKeyRef") is not null);
    }

    [Fact]
    public void Kubernetes_ProdPlaceholderSecretsFailTheServicesValidation()
    {
        // Placeholders must stop a service at start (too short for Alerting:ApiKey, not a 16-byte base64 key).
        var secret = Yaml.AsMap(Yaml.At(Kustomize.Named("prod", "Secret", "platform-secrets"), "stringData"))!;
        Assert.True(secret["alerting-api-key"]!.ToString()!.Length < 16);
        Assert.False(IsKeyOfAtLeast16Bytes(secret["ingestion-customer-hash-key"]!.ToString()!));
        var dev = Yaml.AsMap(Yaml.At(Kustomize.Named("dev", "Secret", "platform-secrets"), "stringData"))!;
        Assert.True(dev["alerting-api-key"]!.ToString()!.Length >= 16);
        Assert.True(IsKeyOfAtLeast16Bytes(dev["ingestion-customer-hash-key"]!.ToString()!));

        static bool IsKeyOfAtLeast16Bytes(string text)
        {
            var buffer = new byte[text.Length];
            return Convert.TryFromBase64String(text, buffer, out var written) && written >= 16;
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_ImagesAreThoseDockerComposeBuilds(string overlay)
    {
        var built = ComposeFile.Services.Values
            .Where(s => Yaml.At(s, "build") is not null)
            .GroupBy(s => Yaml.Text(s, "image")!.Split(':')[0])
            .ToDictionary(g => g.Key, g => g.Select(s => Yaml.Text(s, "build.dockerfile")!).Distinct().Single());
        var images = Workloads(overlay).SelectMany(w => Yaml.AsList(Yaml.At(w.PodSpec, "containers"))).Select(c => Yaml.Text(c, "image")!.Split(':')[0])
            .Where(i => i.StartsWith("platform/", StringComparison.Ordinal)).ToList();
        Assert.Equal(4 + (overlay == "dev" ? 1 : 0), images.Count);
        Assert.All(images, i => Assert.True(built.ContainsKey(i), $"{overlay}: image {i} is not built by docker-compose.yml (builds: {string.Join(", ", built.Keys)})"));
    }

    [Fact]
    public void Kubernetes_ProdInferenceRequestsAGpuOnGpuNodes()
    {
        var pod = Yaml.At(Kustomize.Named("prod", "Deployment", "inference"), "spec.template.spec");
        var container = Yaml.AsList(Yaml.At(pod, "containers")).Single();
        Assert.Equal("1", Yaml.AsMap(Yaml.At(container, "resources.limits"))!["nvidia.com/gpu"]?.ToString());
        Assert.Equal("true", Yaml.AsMap(Yaml.At(pod, "nodeSelector"))!["nvidia.com/gpu.present"]?.ToString());
        Assert.Contains(Yaml.AsList(Yaml.At(pod, "tolerations")), t => Yaml.Text(t, "key") == "nvidia.com/gpu");
        Assert.StartsWith("platform/inference-cuda:", Yaml.Text(container, "image"));
        Assert.Equal("services/inference/Dockerfile.cuda", Yaml.Text(ComposeFile.Service("inference-gpu"), "build.dockerfile"));
        Assert.Equal("platform/inference-cuda", Yaml.Text(ComposeFile.Service("inference-gpu"), "image")!.Split(':')[0]);
    }

    [Fact]
    public void Kubernetes_DevInferenceRunsTheCpuImageWithoutAGpu()
    {
        var pod = Yaml.At(Kustomize.Named("dev", "Deployment", "inference"), "spec.template.spec");
        var container = Yaml.AsList(Yaml.At(pod, "containers")).Single();
        Assert.False(Yaml.AsMap(Yaml.At(container, "resources.limits"))!.ContainsKey("nvidia.com/gpu"));
        Assert.Null(Yaml.At(pod, "tolerations"));
        Assert.StartsWith("platform/inference:", Yaml.Text(container, "image"));
        Assert.Equal("false", Yaml.Text(Kustomize.Named("dev", "ConfigMap", "inference-config"), "data.Inference__PreferCuda"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_KedaNeverScalesAConsumerBeyondThePartitionsOfItsTopics(string overlay)
    {
        var partitions = Kustomize.OfKind(overlay, "KafkaTopic").ToDictionary(t => Yaml.Text(t, "spec.topicName")!, t => int.Parse(Yaml.Text(t, "spec.partitions")!));
        var scaled = Kustomize.OfKind(overlay, "ScaledObject").ToList();
        Assert.Equal(["feature-store", "inference", "ingestion"], scaled.Select(s => Yaml.Text(s, "spec.scaleTargetRef.name")!).Order());
        foreach (var scaledObject in scaled)
        {
            var name = Yaml.Text(scaledObject, "metadata.name");
            var max = int.Parse(Yaml.Text(scaledObject, "spec.maxReplicaCount")!);
            var min = int.Parse(Yaml.Text(scaledObject, "spec.minReplicaCount")!);
            Assert.InRange(min, 1, max);
            var triggers = Yaml.AsList(Yaml.At(scaledObject, "spec.triggers"));
            Assert.NotEmpty(triggers);
            foreach (var trigger in triggers)
            {
                Assert.Equal("kafka", Yaml.Text(trigger, "type"));
                var topic = Yaml.Text(trigger, "metadata.topic")!;
                Assert.True(partitions.TryGetValue(topic, out var count), $"{overlay} {name}: topic {topic} has no KafkaTopic");
                Assert.True(max <= count, $"{overlay} {name}: maxReplicaCount {max} exceeds the {count} partitions of {topic}");
                Assert.Equal("false", Yaml.Text(trigger, "metadata.allowIdleConsumers"));
                Assert.StartsWith(Yaml.Text(Kustomize.Named(overlay, "ConfigMap", "platform-config"), "data.Kafka__BootstrapServers")!, Yaml.Text(trigger, "metadata.bootstrapServers"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_EveryPlatformTopicIsAKafkaTopicAndForecastsAreCompacted(string overlay)
    {
        var topics = Kustomize.OfKind(overlay, "KafkaTopic").ToDictionary(t => Yaml.Text(t, "spec.topicName")!);
        foreach (var topic in Topics.All.Append(Platform.Alerting.AlertingExtensions.RejectedTopic))
        {
            Assert.True(topics.ContainsKey(topic), $"{overlay}: no KafkaTopic for {topic}");
        }

        Assert.Equal("compact", Yaml.AsMap(Yaml.At(topics[Topics.ForecastsDemand], "spec.config"))!["cleanup.policy"]?.ToString());
        // The category stream re-keys orders.validated: both sides of the feature store scale together.
        Assert.Equal(Yaml.Text(topics[Topics.OrdersValidated], "spec.partitions"), Yaml.Text(topics[Topics.FeatureCategoryLines], "spec.partitions"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_KafkaRunsInKRaftModeOnANodePool(string overlay)
    {
        var kafka = Kustomize.OfKind(overlay, "Kafka").Single();
        var annotations = Yaml.AsMap(Yaml.At(kafka, "metadata.annotations"))!;
        Assert.Equal("enabled", annotations["strimzi.io/kraft"]?.ToString());
        Assert.Equal("enabled", annotations["strimzi.io/node-pools"]?.ToString());
        var pool = Kustomize.OfKind(overlay, "KafkaNodePool").Single();
        Assert.Equal(["broker", "controller"], Yaml.AsList(Yaml.At(pool, "spec.roles")).Select(r => r!.ToString()!).Order());
        var replicas = int.Parse(Yaml.Text(pool, "spec.replicas")!);
        Assert.Equal(overlay == "prod" ? 3 : 1, replicas);
        Assert.All(Kustomize.OfKind(overlay, "KafkaTopic"), t => Assert.True(int.Parse(Yaml.Text(t, "spec.replicas")!) <= replicas));
        Assert.Equal("1", Yaml.Text(Kustomize.Named(overlay, "StatefulSet", "redis"), "spec.replicas"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Kubernetes_IngressIsDeniedUnlessANetworkPolicyAllowsIt(string overlay)
    {
        var policies = Kustomize.OfKind(overlay, "NetworkPolicy").ToList();
        Assert.Contains(policies, p => Yaml.AsMap(Yaml.At(p, "spec.podSelector"))?.Count == 0 && Yaml.At(p, "spec.ingress") is null);
        Assert.Contains(policies, p => Yaml.At(p, "spec.podSelector.matchLabels") is not null && Yaml.AsMap(Yaml.At(p, "spec.podSelector.matchLabels"))!.GetValueOrDefault("app.kubernetes.io/name")?.ToString() == "redis");
    }

    [Fact]
    public void Kubernetes_AlertingRunsAsOneEngine()
    {
        var deployment = Kustomize.Named("prod", "Deployment", "alerting");
        Assert.Equal("1", Yaml.Text(deployment, "spec.replicas"));
        Assert.Equal("Recreate", Yaml.Text(deployment, "spec.strategy.type"));
    }
}
