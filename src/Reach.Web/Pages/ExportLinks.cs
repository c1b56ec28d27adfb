namespace Reach.Web.Pages;

/// <summary>The address of a list's export (<c>/exports/{entity}</c>, the API's export for the signed-in user) with the list's current filters.</summary>
public static class ExportLinks
{
    public static string For(string entity, string format, params (string Name, string? Value)[] filters)
    {
        // "excel" is a CSV with a UTF-8 byte order mark: Excel on Windows reads a CSV without one in the local code page.
        var query = filters.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value!)}")
            .Prepend(format == "excel" ? "format=csv&bom=true" : $"format={format}");
        return $"/exports/{entity}?{string.Join('&', query)}";
    }
}
