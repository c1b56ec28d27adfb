using Microsoft.Extensions.Configuration;

namespace Reach.Cli.Commands;

/// <summary>Configuration as <c>reach serve</c> reads it, for commands that don't build the web host.</summary>
public static class CliConfiguration
{
    /// <summary>appsettings.json beside the executable, then the environment, then the command's own options.</summary>
    public static IConfiguration Read(IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? [])
            .Build();
}
