using System.ComponentModel.DataAnnotations;
using Reach.Data;

namespace Reach.Outreach;

/// <summary>A sequence as written in the editor or sent to the API: its settings and its steps in order.</summary>
public sealed record SequenceInput
{
    [Required, StringLength(200, MinimumLength = 1)] public string? Name { get; init; }
    [StringLength(64)] public string? TimeZone { get; init; }
    [Range(0, 23)] public int? WindowStartHour { get; init; }
    [Range(1, 24)] public int? WindowEndHour { get; init; }
    [Required] public List<StepInput>? Steps { get; init; }

    /// <summary>Checks everything, naming the field (<c>steps[2].body</c>); throws <see cref="InputException"/>.</summary>
    public void Validate()
    {
        InputRules.Validate(this);
        var errors = new Dictionary<string, string[]>();
        SendWindow.CheckInput(TimeZone, WindowStartHour, WindowEndHour, errors);
        if (Steps is { Count: 0 })
            errors["steps"] = ["A sequence needs at least one step."];
        if (Steps is { Count: > 30 })
            errors["steps"] = ["A sequence has at most 30 steps."];
        for (var i = 0; i < (Steps?.Count ?? 0); i++)
        {
            var step = Steps![i];
            var at = $"steps[{i}]";
            if (!InputRules.ValidateItem(step, at, errors))
                continue;
            if (step.Kind == StepKind.Email)
            {
                var forwards = step.ForwardsPrevious ?? false;
                if (forwards && !Steps.Take(i).Any(s => s.Kind == StepKind.Email))
                    errors[$"{at}.forwardsPrevious"] = ["Only a step after an email can forward the previous email."];
                if (!forwards && string.IsNullOrWhiteSpace(step.Subject))
                    errors[$"{at}.subject"] = ["An email step needs a subject (a follow-up that forwards the previous email may leave it empty)."];
                if (string.IsNullOrWhiteSpace(step.Body))
                    errors[$"{at}.body"] = ["An email step needs a text."];
            }
            else if (step.ForwardsPrevious == true)
                errors[$"{at}.forwardsPrevious"] = ["Only email steps forward the previous email."];
            if (MergeFields.Problem(step.Subject) is { } subjectProblem)
                errors[$"{at}.subject"] = [$"Step {i + 1}'s subject has an {subjectProblem}."];
            if (MergeFields.Problem(step.Body) is { } bodyProblem)
                errors[$"{at}.body"] = [$"Step {i + 1}'s text has an {bodyProblem}."];
        }
        if (errors.Count > 0)
            throw new InputException(errors);
    }

    public static SequenceInput From(Sequence s) => new()
    {
        Name = s.Name,
        TimeZone = s.TimeZone,
        WindowStartHour = s.WindowStartHour,
        WindowEndHour = s.WindowEndHour,
        Steps = [.. s.Steps.OrderBy(x => x.Position).Select(x => new StepInput { Kind = x.Kind, DelayDays = x.DelayDays, Subject = x.Subject, Body = x.Body, ForwardsPrevious = x.ForwardsPrevious })],
    };

    /// <summary>The seed's pattern: a short first email, a call, then the forward "Following up on the below."</summary>
    public static SequenceInput Starter(string name) => new()
    {
        Name = name,
        TimeZone = "UTC",
        WindowStartHour = 9,
        WindowEndHour = 17,
        Steps =
        [
            new() { Kind = StepKind.Email, DelayDays = 0, Subject = "Quick question, {{contact.first_name}}", Body = "Hi {{contact.first_name}}, have 5 mins to chat this week? Want to compare notes on how {{account.name}} handles this, because we're seeing a pattern. Thx.\n{{sender.first_name}}" },
            new() { Kind = StepKind.Email, DelayDays = 3, ForwardsPrevious = true, Body = DefaultFollowUp },
        ],
    };

    public const string DefaultFollowUp = "Hi {{contact.first_name}}, hope all is well. Following up on the below. Thx.";
}

public sealed record StepInput
{
    [Required] public StepKind? Kind { get; init; }
    [Range(0, 90)] public int? DelayDays { get; init; }
    [StringLength(300)] public string? Subject { get; init; }
    [StringLength(10000)] public string? Body { get; init; }
    public bool? ForwardsPrevious { get; init; }
}

/// <summary>A user's mailbox settings. Passwords left empty keep the stored ones.</summary>
public sealed record MailAccountInput
{
    [Required, StringLength(200, MinimumLength = 1)] public string? FromName { get; init; }
    [Required, EmailAddress, StringLength(254)] public string? FromAddress { get; init; }
    [Required, StringLength(253, MinimumLength = 1)] public string? SmtpHost { get; init; }
    [Range(1, 65535)] public int? SmtpPort { get; init; }
    public MailSecurity? SmtpSecurity { get; init; }
    [StringLength(254)] public string? SmtpUser { get; init; }
    [StringLength(500)] public string? SmtpPassword { get; init; }
    [StringLength(253)] public string? ImapHost { get; init; }
    [Range(1, 65535)] public int? ImapPort { get; init; }
    public MailSecurity? ImapSecurity { get; init; }
    [StringLength(254)] public string? ImapUser { get; init; }
    [StringLength(500)] public string? ImapPassword { get; init; }
    [Range(1, 10000)] public int? DailyLimit { get; init; }

    public void ApplyTo(MailAccount account, MailSecrets secrets)
    {
        InputRules.Validate(this);
        account.FromName = FromName!.Trim();
        account.FromAddress = FromAddress!.Trim().ToLowerInvariant();
        account.SmtpHost = SmtpHost!.Trim();
        account.SmtpPort = SmtpPort ?? 587;
        account.SmtpSecurity = SmtpSecurity ?? MailSecurity.StartTls;
        account.SmtpUser = string.IsNullOrWhiteSpace(SmtpUser) ? null : SmtpUser.Trim();
        if (!string.IsNullOrEmpty(SmtpPassword))
            account.SmtpPasswordProtected = secrets.Protect(SmtpPassword);
        if (account.SmtpUser is null)
            account.SmtpPasswordProtected = null;
        account.ImapHost = string.IsNullOrWhiteSpace(ImapHost) ? null : ImapHost.Trim();
        account.ImapPort = ImapPort ?? 993;
        account.ImapSecurity = ImapSecurity ?? MailSecurity.Tls;
        account.ImapUser = string.IsNullOrWhiteSpace(ImapUser) ? null : ImapUser.Trim();
        if (!string.IsNullOrEmpty(ImapPassword))
            account.ImapPasswordProtected = secrets.Protect(ImapPassword);
        if (account.ImapHost is not null && (account.ImapUser is null || account.ImapPasswordProtected is null))
            throw new InputException(account.ImapUser is null ? "imapUser" : "imapPassword", "Reading replies over IMAP needs the mailbox's user name and password.");
        account.DailyLimit = DailyLimit ?? 200;
    }
}
