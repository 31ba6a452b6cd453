using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Platform.Alerting.Api;

/// <summary>
/// Lets a request through only with the configured key in X-Api-Key; otherwise 401 with error "unauthorized". The
/// comparison takes the same time whatever the key, so it cannot be guessed byte by byte.
/// </summary>
public sealed class ApiKeyFilter(IOptions<AlertingOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var given = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (given.Length == 0 || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
            return ValueTask.FromResult<object?>(AlertingApi.Error(StatusCodes.Status401Unauthorized, "unauthorized",
                given.Length == 0 ? $"The {HeaderName} header is required." : $"The {HeaderName} header does not hold a valid key."));
        }

        return next(context);
    }
}
