namespace Reach.Usage;

/// <summary>
/// The free and personal e-mail domains (gmail.com, outlook.com…): the maintained list is data, in
/// <c>Usage/free-mail-domains.txt</c>. A product user with such an address works for no company Reach can tell.
/// </summary>
public static class FreeMail
{
    static readonly Lazy<HashSet<string>> Domains = new(() =>
    {
        using var stream = typeof(FreeMail).Assembly.GetManifestResourceStream("Reach.Usage.free-mail-domains.txt")
            ?? throw new InvalidOperationException("The free-mail list is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        var domains = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
                domains.Add(line);
        }
        return domains;
    });

    /// <summary>Whether <paramref name="domain"/> (or a domain it is a subdomain of, mail.yahoo.com) is a free-mail one.</summary>
    public static bool Is(string domain)
    {
        var set = Domains.Value;
        for (var d = domain; d.Length > 0; d = d.IndexOf('.') is var dot and >= 0 ? d[(dot + 1)..] : "")
        {
            if (set.Contains(d))
                return true;
        }
        return false;
    }

    /// <summary>How many domains the list holds (for the docs and a test).</summary>
    public static int Count => Domains.Value.Count;
}
