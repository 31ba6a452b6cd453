namespace Platform.Deploy.Tests;

public sealed class ComposeTests
{
    [Fact]
    public void Compose_ConfigValidatesWithDockerCompose()
    {
        var result = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], "it validates docker-compose.yml (Debian: apt-get install docker-compose)");
        Assert.True(result.ExitCode == 0, $"docker-compose config -q failed: {result.Error}");
    }

    [Fact]
    public void Compose_ValidatesWithTheGpuProfile()
    {
        var result = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "--profile", "gpu", "config", "-q"], "it validates docker-compose.yml");
        Assert.True(result.ExitCode == 0, $"docker-compose --profile gpu config -q failed: {result.Error}");
    }

    [Fact]
    public void Compose_RunsInfrastructureServicesSimulatorAndObservability()
    {
        foreach (var name in new[]
                 {
                     "kafka", "redis", "rabbitmq", "ingestion", "feature-store", "inference", "alerting", "simulator", "model-init",
                     "otel-collector", "prometheus", "grafana", "jaeger",
                 })
        {
            Assert.True(ComposeFile.Services.ContainsKey(name), $"docker-compose.yml has no service {name}");
        }

        Assert.StartsWith("apache/kafka:", Yaml.Text(ComposeFile.Service("kafka"), "image"));
        Assert.Contains("broker,controller", Yaml.Text(ComposeFile.Service("kafka"), "environment.KAFKA_PROCESS_ROLES"));
        Assert.EndsWith("-management", Yaml.Text(ComposeFile.Service("rabbitmq"), "image"));
        Assert.Contains("simulate", Yaml.AsList(Yaml.At(ComposeFile.Service("simulator"), "command")).Select(a => a?.ToString()));
    }

    [Fact]
    public void Compose_ServicesHaveHealthChecksAndStartAfterHealthyDependencies()
    {
        foreach (var name in ComposeFile.PlatformServices.Concat(["kafka", "redis", "rabbitmq"]))
        {
            var test = string.Join(' ', Yaml.AsList(Yaml.At(ComposeFile.Service(name), "healthcheck.test")));
            Assert.False(string.IsNullOrWhiteSpace(test), $"{name} has no health check");
        }

        foreach (var name in ComposeFile.PlatformServices)
        {
            var service = ComposeFile.Service(name);
            Assert.Contains("/health/ready", string.Join(' ', Yaml.AsList(Yaml.At(service, "healthcheck.test"))));
            var dependsOn = Yaml.AsMap(service["depends_on"]) ?? throw new Xunit.Sdk.XunitException($"{name}: depends_on must be a map with conditions");
            Assert.Equal("service_healthy", Yaml.Text(dependsOn["kafka"], "condition"));
            Assert.All(dependsOn, d => Assert.Contains(Yaml.Text(d.Value, "condition"), new[] { "service_healthy", "service_completed_successfully" }));
        }

        // Inference starts only once model-init has put a model into the registry it reads.
        Assert.Equal("service_completed_successfully", Yaml.Text(ComposeFile.Service("inference"), "depends_on.model-init.condition"));
        Assert.Contains("model-registry:/models:ro", Yaml.AsList(ComposeFile.Service("inference")["volumes"]).Select(v => v?.ToString()));
        Assert.Contains("model-registry:/models", Yaml.AsList(ComposeFile.Service("model-init")["volumes"]).Select(v => v?.ToString()));
        Assert.Equal("/models", Yaml.Text(ComposeFile.Service("inference"), "environment.Inference__ModelRegistry"));
    }

    [Fact]
    public void Compose_ServicesRunReadOnlyFromTheirNonRootImages()
    {
        foreach (var name in ComposeFile.PlatformServices)
        {
            var service = ComposeFile.Service(name);
            Assert.Equal("true", Yaml.Text(service, "read_only")?.ToLowerInvariant());
            Assert.Contains("/tmp", Yaml.AsList(service["tmpfs"]).Select(t => t?.ToString()));
            Assert.False(service.ContainsKey("user") && Yaml.Text(service, "user") is "0" or "root", $"{name} runs as root");
            var dockerfile = Dockerfiles.Parse(Yaml.Text(service, "build.dockerfile")!);
            Assert.True(dockerfile.RunsAsNonRoot, $"{name}: {dockerfile.Path} does not end with a non-root numeric USER");
        }
    }

    [Fact]
    public void Compose_EnvironmentNamesAreSettingsTheServicesRead()
    {
        var problems = new List<string>();
        foreach (var name in ComposeFile.PlatformServices)
        {
            var environment = Yaml.AsMap(ComposeFile.Service(name)["environment"]) ?? throw new Xunit.Sdk.XunitException($"{name}: environment must be a map");
            problems.AddRange(environment.Keys.Select(key => ConfigurationKeys.Problem(ComposeFile.ServiceKind(name), key)).OfType<string>());
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Compose_GpuProfileRunsTheCudaImageOnAnNvidiaDevice()
    {
        var gpu = ComposeFile.Service("inference-gpu");
        Assert.Contains("gpu", Yaml.AsList(gpu["profiles"]).Select(p => p?.ToString()));
        Assert.Equal("services/inference/Dockerfile.cuda", Yaml.Text(gpu, "build.dockerfile"));
        var device = Yaml.AsList(Yaml.At(gpu, "deploy.resources.reservations.devices")).Single();
        Assert.Equal("nvidia", Yaml.Text(device, "driver"));
        Assert.Contains("gpu", Yaml.AsList(Yaml.At(device, "capabilities")).Select(c => c?.ToString()));
        Assert.Equal("true", Yaml.Text(gpu, "environment.Inference__PreferCuda"));
        // The CPU service has no profile: a plain `docker compose up` runs it.
        Assert.False(ComposeFile.Service("inference").ContainsKey("profiles"));
    }

    [Fact]
    public void Compose_MountedConfigurationFilesExist()
    {
        foreach (var (name, service) in ComposeFile.Services)
        {
            foreach (var volume in Yaml.AsList(Yaml.At(service, "volumes")).Select(v => v?.ToString() ?? ""))
            {
                if (volume.StartsWith("./", StringComparison.Ordinal))
                {
                    var source = volume.Split(':')[0];
                    Assert.True(File.Exists(RepositoryRoot.File(source)) || Directory.Exists(RepositoryRoot.File(source)), $"{name} mounts {source}, which does not exist");
                }
            }
        }
    }

    [Fact]
    public void AlertingRoutes_AreAcceptedByTheAlertingService()
    {
        var composeRoutes = File.ReadAllText(RepositoryRoot.File("deploy/alerting/alerting.yml"));
        var configuration = Platform.Alerting.Configuration.AlertingConfigLoader.Parse(composeRoutes, "deploy/alerting/alerting.yml", DateTimeOffset.UnixEpoch);
        Assert.NotNull(configuration);

        var k8sRoutes = Yaml.AsMap(Yaml.At(Kustomize.Named("prod", "ConfigMap", "alerting-routes"), "data"))!["alerting.yml"]!.ToString()!;
        Assert.NotNull(Platform.Alerting.Configuration.AlertingConfigLoader.Parse(k8sRoutes, "alerting-routes", DateTimeOffset.UnixEpoch));
    }
}
