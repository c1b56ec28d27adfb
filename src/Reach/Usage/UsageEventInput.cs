using System.Globalization;
using System.Text.Json;

namespace Reach.Usage;

/// <summary>
/// One product event as it is sent (API body, JSONL or CSV line): its id, when, who (an e-mail or the product's user id),
/// an optional account hint (an account id or a company domain), the event's name and its properties.
/// </summary>
public sealed record UsageEventInput
{
    public const int MaxIdLength = 200;
    public const int MaxNameLength = 100;
    public const int MaxPropertiesLength = 4000;

    public string? EventId { get; init; }
    public DateTime? Time { get; init; }
    public string? Email { get; init; }
    public string? UserId { get; init; }
    public string? AccountHint { get; init; }
    public string? Name { get; init; }
    public JsonElement? Properties { get; init; }

    /// <summary>The instants an event may carry: from 2000 to a day after the workspace's now (a sender's clock may run ahead a little).</summary>
    static readonly DateTime Earliest = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The event's problems, each keyed <c>events[index].field</c> and naming the value; empty when it is fine.</summary>
    public List<KeyValuePair<string, string>> Check(int index, DateTime now)
    {
        var problems = new List<KeyValuePair<string, string>>();
        void Bad(string field, string message) => problems.Add(new($"events[{index}].{field}", message));
        if (string.IsNullOrWhiteSpace(EventId))
            Bad("eventId", "is required: the event's own id, so that sending it again changes nothing.");
        else if (EventId.Length > MaxIdLength)
            Bad("eventId", $"'{Cut(EventId)}' is {EventId.Length} characters; at most {MaxIdLength}.");
        if (Time is not { } time)
            Bad("time", "is required: when the event happened, an instant with its offset (2027-01-31T09:00:00Z).");
        else if (time < Earliest || time > now.AddDays(1))
            Bad("time", $"'{time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}' is {(time < Earliest ? "before 2000" : "more than a day after now")}.");
        if (string.IsNullOrWhiteSpace(Email) && string.IsNullOrWhiteSpace(UserId))
            Bad("email", "is required unless userId is given: who used the product.");
        if (!string.IsNullOrWhiteSpace(Email) && DomainOfEmail(Email) is null)
            Bad("email", $"'{Cut(Email)}' is not an e-mail address.");
        if (UserId is { Length: > MaxIdLength })
            Bad("userId", $"'{Cut(UserId)}' is {UserId.Length} characters; at most {MaxIdLength}.");
        if (AccountHint is { Length: > 253 })
            Bad("accountHint", $"'{Cut(AccountHint)}' is {AccountHint.Length} characters; an account id or a domain is at most 253.");
        if (string.IsNullOrWhiteSpace(Name))
            Bad("name", "is required: what the user did (\"document.created\").");
        else if (Name.Length > MaxNameLength)
            Bad("name", $"'{Cut(Name)}' is {Name.Length} characters; at most {MaxNameLength}.");
        if (Properties is { } properties)
        {
            if (properties.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                Bad("properties", $"'{Cut(properties.GetRawText())}' is not an object.");
            else if (properties.GetRawText().Length > MaxPropertiesLength)
                Bad("properties", $"are {properties.GetRawText().Length} characters of JSON; at most {MaxPropertiesLength}.");
        }
        return problems;
    }

    /// <summary>Who used the product: the e-mail in lower case, else <c>id:</c> and the user id.</summary>
    public string UserKey => !string.IsNullOrWhiteSpace(Email) ? Email.Trim().ToLowerInvariant() : "id:" + UserId!.Trim();

    /// <summary>The domain of an e-mail address (lower case), or null when it is not one.</summary>
    public static string? DomainOfEmail(string email)
    {
        var text = email.Trim();
        var at = text.LastIndexOf('@');
        if (at <= 0 || at != text.IndexOf('@') || text.Length > 320)
            return null;
        var domain = Accounts.Account.NormaliseDomain(text[(at + 1)..]);
        return domain is { Length: > 2 } && domain.Contains('.', StringComparison.Ordinal) && !domain.Contains(' ', StringComparison.Ordinal) ? domain : null;
    }

    static string Cut(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
