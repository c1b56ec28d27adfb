using System.Text.Json;

namespace Reach.Data;

/// <summary>
/// How an enum value is written wherever people and programs read it — the API's JSON, query strings, exports, the
/// CLI: snake_case (<c>self_service</c>). The one conversion, both ways.
/// </summary>
public static class EnumNames
{
    /// <summary>The naming policy behind it, for the API's JSON converter.</summary>
    public static readonly JsonNamingPolicy Policy = JsonNamingPolicy.SnakeCaseLower;

    public static string Of<T>(T value) where T : struct, Enum => Policy.ConvertName(value.ToString());

    public static string? Of<T>(T? value) where T : struct, Enum => value is { } v ? Of(v) : null;

    /// <summary>Every name of <paramref name="type"/>, "a, b, c": for an error that says what is accepted.</summary>
    public static string List(Type type) => string.Join(", ", Enum.GetNames(type).Select(Policy.ConvertName));

    public static string List<T>() where T : struct, Enum => List(typeof(T));

    /// <summary>The value <paramref name="name"/> names, snake_case or not (<c>self_service</c>, <c>SelfService</c>, <c>self-service</c>); null for anything else, numbers included.</summary>
    public static T? Parse<T>(string name) where T : struct, Enum =>
        !int.TryParse(name, out _) && Enum.TryParse<T>(name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var value)
        && Enum.IsDefined(value) ? value : null;
}
