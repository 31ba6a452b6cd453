using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Platform.Forecasting.Registry;

/// <summary>
/// A directory of model versions: ROOT/v0001/{model.onnx, metadata.json}, ROOT/v0002/… . A version is written to a
/// staging folder and renamed into place, so readers never see half a version, and two trainers registering at once
/// get different numbers. Loading checks the feature schema hash and the model file's SHA-256.
/// </summary>
public sealed partial class ModelRegistry
{
    public const string ModelFileName = "model.onnx";
    public const string MetadataFileName = "metadata.json";
    private const int MaxRegisterAttempts = 100;
    private readonly TimeProvider _time;

    public ModelRegistry(string root, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
    }

    public string Root { get; }

    /// <summary>Folder name of a version: v0001 … v9999, then v10000 ….</summary>
    public static string FolderName(int version) => "v" + version.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Complete versions (both files present), ascending.</summary>
    public IReadOnlyList<int> Versions()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(Root)
            .Select(path => (Path: path, Match: VersionFolder().Match(Path.GetFileName(path))))
            .Where(x => x.Match.Success
                && File.Exists(Path.Combine(x.Path, ModelFileName))
                && File.Exists(Path.Combine(x.Path, MetadataFileName)))
            .Select(x => int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture))
            .Order()
            .ToArray();
    }

    /// <summary>Stores <paramref name="onnxModel"/> as the next version; returns it as loaded back.</summary>
    public RegisteredModel Register(byte[] onnxModel, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(metadata);
        if (onnxModel.Length == 0)
        {
            throw new ArgumentException("The ONNX model is empty.", nameof(onnxModel));
        }

        _ = metadata.ToLayout();
        Directory.CreateDirectory(Root);
        var staging = Path.Combine(Root, $".staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllBytes(Path.Combine(staging, ModelFileName), onnxModel);
            var sha = Convert.ToHexStringLower(SHA256.HashData(onnxModel));
            for (var attempt = 0; attempt < MaxRegisterAttempts; attempt++)
            {
                var version = MaxFolderNumber() + 1;
                var stamped = metadata with { Version = version, CreatedUtc = _time.GetUtcNow().UtcDateTime, ModelSha256 = sha };
                File.WriteAllText(Path.Combine(staging, MetadataFileName), JsonSerializer.Serialize(stamped, RegistryJsonContext.Default.ModelMetadata));
                var target = Path.Combine(Root, FolderName(version));
                if (Directory.Exists(target))
                {
                    continue;
                }

                try
                {
                    Directory.Move(staging, target);
                    return new RegisteredModel(target, stamped, onnxModel);
                }
                catch (IOException) when (Directory.Exists(target))
                {
                    // Another trainer took this number between our check and the rename: try the next one.
                }
            }

            throw new IOException($"Could not claim a version folder in '{Root}' after {MaxRegisterAttempts} attempts.");
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The highest version; fails when the registry is empty or the version does not fit the running feature schema.</summary>
    public RegisteredModel LoadLatest(string runningFeatureSchemaHash)
    {
        var versions = Versions();
        if (versions.Count == 0)
        {
            throw new FileNotFoundException($"The model registry '{Root}' holds no model versions (expected folders like {FolderName(1)} with {ModelFileName} and {MetadataFileName}).");
        }

        return Load(versions[^1], runningFeatureSchemaHash);
    }

    /// <summary>
    /// One version, verified: metadata readable and consistent, model file matching its SHA-256, and trained
    /// against <paramref name="runningFeatureSchemaHash"/> (else <see cref="FeatureSchemaMismatchException"/>).
    /// </summary>
    public RegisteredModel Load(int version, string runningFeatureSchemaHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runningFeatureSchemaHash);
        var directory = Path.Combine(Root, FolderName(version));
        var metadataPath = Path.Combine(directory, MetadataFileName);
        var modelPath = Path.Combine(directory, ModelFileName);
        if (!File.Exists(metadataPath) || !File.Exists(modelPath))
        {
            var known = Versions();
            throw new FileNotFoundException(
                $"Model version {FolderName(version)} is not in '{Root}' (available: {(known.Count == 0 ? "none" : string.Join(", ", known.Select(FolderName)))}).");
        }

        ModelMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize(File.ReadAllText(metadataPath), RegistryJsonContext.Default.ModelMetadata)
                ?? throw new InvalidDataException($"'{metadataPath}' holds no metadata.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{metadataPath}' is not valid model metadata: {ex.Message}", ex);
        }

        if (metadata.Version != version)
        {
            throw new InvalidDataException($"'{metadataPath}' says version {metadata.Version} but sits in folder {FolderName(version)}.");
        }

        if (!string.Equals(metadata.FeatureSchemaHash, runningFeatureSchemaHash, StringComparison.Ordinal))
        {
            throw new FeatureSchemaMismatchException(version, metadata.FeatureSchemaHash, runningFeatureSchemaHash);
        }

        var model = File.ReadAllBytes(modelPath);
        var sha = Convert.ToHexStringLower(SHA256.HashData(model));
        if (!string.Equals(sha, metadata.ModelSha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"'{modelPath}' has SHA-256 {sha} but its metadata records {metadata.ModelSha256}: the file was changed or truncated after registration.");
        }

        return new RegisteredModel(directory, metadata, model);
    }

    /// <summary>Highest number among version folders, complete or not, so a half-written folder's number is never reused.</summary>
    private int MaxFolderNumber() =>
        Directory.EnumerateDirectories(Root)
            .Select(path => VersionFolder().Match(Path.GetFileName(path)))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0)
            .Max();

    [GeneratedRegex(@"^v(\d{4,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionFolder();
}
