using Reach.Planning;

namespace Reach.Data;

/// <summary>
/// How names read where people read them — the report pages and PDFs, the CLI's tables, the planner and the dashboard:
/// "Self-service", "Close date passed", never the wire names (<c>self_service</c>, <c>SelfService</c>,
/// <c>close_date_passed</c>) that the API, query strings and exports keep (<see cref="EnumNames"/>).
/// </summary>
public static class Labels
{
    /// <summary>A channel as the split names it ("all", "self_service", "inside", "field", "unassigned"), for people.</summary>
    public static string Channel(string? channel) => channel switch
    {
        null or "unassigned" => "Unassigned",
        "all" => "All channels",
        "self_service" => "Self-service",
        _ => Words(channel),
    };

    public static string Channel(Channel? channel) => Channel(EnumNames.Of(channel));

    public static string Channel(ChannelKind kind) => Channel(EnumNames.Of(kind));

    /// <summary>Any enum value as a phrase: <c>CloseDatePassed</c> → "Close date passed"; a channel as <see cref="Channel(string?)"/>.</summary>
    public static string Of<T>(T value) where T : struct, Enum => value switch
    {
        Data.Channel c => Channel(c),
        ChannelKind k => Channel(k),
        _ => Words(EnumNames.Of(value)),
    };

    /// <summary>A snake_case (or dashed) name as a phrase with a capital: "new_leads" → "New leads".</summary>
    public static string Words(string name)
    {
        var words = name.Replace('_', ' ').Replace('-', ' ').Trim();
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }
}

/// <summary>
/// One colour per channel, the same on the dashboard, the planner, the forecast and the report pages and PDFs (the
/// stylesheet's <c>--self</c>, <c>--inside</c> and <c>--field</c> repeat them for badges).
/// </summary>
public static class ChannelPalette
{
    public const string SelfService = "#0f9d8a";
    public const string Inside = "#3f5bd8";
    public const string Field = "#8a4fd3";
    public const string All = "#161c2d";
    public const string Other = "#9aa3b2";

    /// <summary>Colours for a plan's further channels of a kind already coloured (a second field team).</summary>
    static readonly string[] Extra = ["#0891b2", "#ca8a04", "#db2777", "#65a30d"];

    /// <summary>A channel as the split names it ("self_service", "inside", "field", "all"; anything else grey).</summary>
    public static string Of(string? channel) => channel switch
    {
        "self_service" => SelfService,
        "inside" => Inside,
        "field" => Field,
        "all" => All,
        _ => Other,
    };

    public static string Of(Channel? channel) => Of(EnumNames.Of(channel));

    public static string Of(ChannelKind kind) => Of(EnumNames.Of(kind));

    /// <summary>
    /// A plan's channels by name: the first of each kind in its kind's colour, so a plan's "Webshop" is self-service
    /// green as on the dashboard; a further channel of a kind takes the next extra colour.
    /// </summary>
    public static Dictionary<string, string> Of(IEnumerable<(string Name, ChannelKind Kind)> channels)
    {
        var colours = new Dictionary<string, string>();
        var used = new HashSet<ChannelKind>();
        var extra = 0;
        foreach (var (name, kind) in channels)
            colours.TryAdd(name, used.Add(kind) ? Of(kind) : Extra[extra++ % Extra.Length]);
        return colours;
    }
}
