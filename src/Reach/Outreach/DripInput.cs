using System.ComponentModel.DataAnnotations;
using Reach.Coaching;
using Reach.Data;

namespace Reach.Outreach;

/// <summary>A drip track as written in the editor or sent to the API: settings, audience and its pieces in order.</summary>
public sealed record DripInput
{
    public const int MaxPieces = 52;
    public const int MaxMembers = 5000;

    [Required, StringLength(200, MinimumLength = 1)] public string? Name { get; init; }
    [Range(1, 52)] public int? Every { get; init; }
    public CadenceUnit? Unit { get; init; }
    [Range(0, 365)] public int? MinimumGapDays { get; init; }
    [StringLength(64)] public string? TimeZone { get; init; }
    [Range(0, 23)] public int? WindowStartHour { get; init; }
    [Range(1, 24)] public int? WindowEndHour { get; init; }
    public Tier? AudienceTier { get; init; }
    public Channel? AudienceChannel { get; init; }
    [StringLength(100)] public string? AudienceSegment { get; init; }

    /// <summary>The explicit list (when no segment field is given).</summary>
    public List<Guid>? ContactIds { get; init; }
    [Required] public List<PieceInput>? Pieces { get; init; }

    bool BySegment => AudienceTier is not null || AudienceChannel is not null || !string.IsNullOrWhiteSpace(AudienceSegment);

    /// <summary>Checks everything, naming the field (<c>pieces[1].body</c>); throws <see cref="InputException"/>.</summary>
    public void Validate()
    {
        InputRules.Validate(this);
        var errors = new Dictionary<string, string[]>();
        SendWindow.CheckInput(TimeZone, WindowStartHour, WindowEndHour, errors);
        if (BySegment && ContactIds is { Count: > 0 })
            errors["contactIds"] = ["Give either a segment (audienceTier, audienceChannel, audienceSegment) or a list of contacts, not both."];
        if (ContactIds is { Count: > MaxMembers })
            errors["contactIds"] = [$"A list holds at most {MaxMembers} contacts; {ContactIds.Count} were given (use a segment instead)."];
        if (Pieces is { Count: 0 })
            errors["pieces"] = ["A track needs at least one piece."];
        if (Pieces is { Count: > MaxPieces })
            errors["pieces"] = [$"A track has at most {MaxPieces} pieces."];
        for (var i = 0; i < (Pieces?.Count ?? 0); i++)
        {
            var piece = Pieces![i];
            var at = $"pieces[{i}]";
            if (!InputRules.ValidateItem(piece, at, errors))
                continue;
            if (MergeFields.Problem(piece.Subject) is { } subjectProblem)
                errors[$"{at}.subject"] = [$"Piece {i + 1}'s subject has an {subjectProblem}."];
            if (MergeFields.Problem(piece.Body) is { } bodyProblem)
                errors[$"{at}.body"] = [$"Piece {i + 1}'s text has an {bodyProblem}."];
            else if (AskIn(piece) is { } ask)
                errors[$"{at}.body"] = [$"Piece {i + 1} asks something ({ask}); a drip piece gives an insight and asks nothing: cut the question or call to action."];
        }
        if (errors.Count > 0)
            throw new InputException(errors);
    }

    /// <summary>The email coach's count of asks in a piece, described; null when it asks nothing.</summary>
    public static string? AskIn(PieceInput piece)
    {
        var report = EmailCoach.Evaluate(piece.Subject, piece.Body);
        if (report.Asks == 0)
            return null;
        return report.Asks == 1 ? "the coach finds 1 ask" : $"the coach finds {report.Asks} asks";
    }

    public static DripInput From(DripTrack t) => new()
    {
        Name = t.Name,
        Every = t.Every,
        Unit = t.Unit,
        MinimumGapDays = t.MinimumGapDays,
        TimeZone = t.TimeZone,
        WindowStartHour = t.WindowStartHour,
        WindowEndHour = t.WindowEndHour,
        AudienceTier = t.AudienceTier,
        AudienceChannel = t.AudienceChannel,
        AudienceSegment = t.AudienceSegment,
        ContactIds = [.. t.Members.Select(m => m.ContactId)],
        Pieces = [.. t.Pieces.OrderBy(p => p.Position).Select(p => new PieceInput { Subject = p.Subject, Body = p.Body })],
    };

    /// <summary>A new track's starting point: one piece in the seed's voice, short and with nothing asked.</summary>
    public static DripInput Starter(string name) => new()
    {
        Name = name,
        Every = 2,
        Unit = CadenceUnit.Weeks,
        MinimumGapDays = 7,
        TimeZone = "UTC",
        WindowStartHour = 9,
        WindowEndHour = 17,
        AudienceTier = Tier.A,
        Pieces =
        [
            new() { Subject = "A pattern worth a look", Body = "Hi {{contact.first_name}}, we looked at how 40 teams like {{account.name}} plan their quarter. The ones that review pipeline weekly close 20% more. Thought you'd find it useful.\n{{sender.first_name}}" },
        ],
    };
}

public sealed record PieceInput
{
    [Required, StringLength(300, MinimumLength = 1)] public string? Subject { get; init; }
    [Required, StringLength(10000, MinimumLength = 1)] public string? Body { get; init; }
}
