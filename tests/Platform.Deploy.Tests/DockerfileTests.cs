using System.Xml.Linq;

namespace Platform.Deploy.Tests;

public sealed class DockerfileTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "services/ingestion/Dockerfile", "services/ingestion/Platform.Ingestion/Platform.Ingestion.csproj" },
        { "services/feature-store/Dockerfile", "services/feature-store/Platform.FeatureStore/Platform.FeatureStore.csproj" },
        { "services/inference/Dockerfile", "services/inference/Platform.Inference/Platform.Inference.csproj" },
        { "services/inference/Dockerfile.cuda", "services/inference/Platform.Inference/Platform.Inference.csproj" },
        { "services/alerting/Dockerfile", "services/alerting/Platform.Alerting/Platform.Alerting.csproj" },
        { "services/platform/Dockerfile", "services/platform/Platform.Cli/Platform.Cli.csproj" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_BuildsWithTheSdkAndRunsWithoutItAsNonRoot(string dockerfile, string project)
    {
        var file = Dockerfiles.Parse(dockerfile);
        Assert.True(file.FromImages.Count >= 2, $"{dockerfile} is not multi-stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", file.FromImages[0]);
        Assert.DoesNotContain("/sdk:", file.RuntimeImage);
        Assert.True(file.RunsAsNonRoot, $"{dockerfile}: the runtime stage must end with a numeric non-root USER, found '{file.LastUser}'");

        var text = File.ReadAllText(RepositoryRoot.File(dockerfile));
        foreach (var rootFile in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.Contains(rootFile, text);
        }

        Assert.Contains($"dotnet publish {project}", text);
        // The entry point runs the assembly the project builds.
        var assembly = XDocument.Load(RepositoryRoot.File(project)).Descendants("AssemblyName").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(project);
        Assert.Contains($"{assembly}.dll\"", file.Entrypoint);
    }

    [Fact]
    public void Dockerfile_CudaVariantRunsOnCuda13WithCudnn9()
    {
        var file = Dockerfiles.Parse("services/inference/Dockerfile.cuda");
        Assert.Matches(@"^nvidia/cuda:13\.\d+\.\d+-cudnn-runtime-ubuntu24\.04$", file.RuntimeImage);
        // The ASP.NET Core runtime comes from Microsoft's image of the same Ubuntu release.
        Assert.Contains("mcr.microsoft.com/dotnet/aspnet:10.0-noble", file.FromImages);
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputAndGitOutOfTheContext()
    {
        var ignored = File.ReadAllLines(RepositoryRoot.File(".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (var entry in new[] { "**/bin/", "**/obj/", ".git/" })
        {
            Assert.Contains(entry, ignored);
        }

        // What the builds copy must not be ignored.
        foreach (var needed in new[] { "shared/", "services/", "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.DoesNotContain(needed, ignored);
        }
    }
}
