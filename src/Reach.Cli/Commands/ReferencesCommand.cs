using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Expansion;
using Reach.Metrics.Reports;
using Reach.Web;

namespace Reach.Cli.Commands;

/// <summary>
/// <c>reach references [--prospect ACCOUNT] [--json | --pdf OUT | --html OUT]</c>: the reference pool at the console,
/// ranked for a prospect, and the references document for a proposal; <c>reach references consent ACCOUNT</c> records
/// an account's consent. The rules are <see cref="ReferencePool"/>'s and <see cref="ReferenceInput"/>'s, as the pages and the API use them.
/// </summary>
public static class ReferencesCommand
{
    public static Command Create()
    {
        var database = new DatabaseOptions();
        var prospect = new Option<string?>("--prospect") { Description = "Rank the references for this account (its id, name or domain), best first, each match explained", HelpName = "ACCOUNT" };
        var json = new Option<bool>("--json") { Description = "Print the list as JSON, as GET /api/v1/references answers" };
        var pdf = new Option<FileInfo?>("--pdf") { Description = "Write the references document (those available this quarter) to PDF (headless Chromium; Reach:Chromium)", HelpName = "OUT" };
        var html = new Option<FileInfo?>("--html") { Description = "Write the references document as one HTML page", HelpName = "OUT" };
        var command = new Command("references", "The reference pool: customers who agreed to be a reference, ranked for a prospect; the references document for a proposal.") { prospect, json, pdf, html };
        database.AddTo(command);
        command.Validators.Add(result =>
        {
            if (new[] { result.GetValue(json), result.GetValue(pdf) is not null, result.GetValue(html) is not null }.Count(b => b) > 1)
                result.AddError("Give one output at most: --json, --pdf OUT or --html OUT.");
        });
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var output = result.InvocationConfiguration.Output;
            var db = workspace.Db;
            var prospectId = await AccountIdAsync(db, result.GetValue(prospect), "prospect", cancellationToken);
            var list = await ReferencePool.ListAsync(db, prospectId, cancellationToken);
            if (result.GetValue(json))
            {
                var options = new JsonSerializerOptions { WriteIndented = true };
                ReachApp.Configure(options);
                await output.WriteLineAsync(JsonSerializer.Serialize(list, options));
                return;
            }
            if ((result.GetValue(pdf) ?? result.GetValue(html)) is { } file)
            {
                var offered = list with { Items = [.. list.Items.Where(i => i.Available)] };
                var page = ReferenceDocument.Render(offered, (await Reach.Access.WorkspaceSettings.LoadAsync(db, cancellationToken)).Name, db.UtcNow);
                if (result.GetValue(pdf) is not null)
                    await ReportPrinter.PrintAsync(page, file.FullName, workspace.Configuration["Reach:Chromium"], cancellationToken);
                else
                    await File.WriteAllTextAsync(file.FullName, page, cancellationToken);
                await output.WriteLineAsync($"Wrote the references document ({offered.Items.Count} reference(s)) to {file.FullName}");
                return;
            }
            var ci = CultureInfo.InvariantCulture;
            await output.WriteLineAsync(list.Prospect is { } p
                ? $"References for {p.Name}, best first (at most {list.UsesPerQuarter} ask(s) per reference in {list.Quarter}):"
                : $"Reference pool: {list.Items.Count} account(s) (at most {list.UsesPerQuarter} ask(s) per reference in {list.Quarter}):");
            if (list.Items.Count == 0)
                await output.WriteLineAsync("  No account has agreed to be a reference yet: record consent on the account's page, the API or `reach references consent`.");
            foreach (var r in list.Items)
            {
                var state = r.Available ? $"{r.UsesThisQuarter}/{r.UsesPerQuarter} this quarter" : r.Unavailable;
                await output.WriteLineAsync($"  {r.Account} ({ReferencePool.Words(r.AgreedTo)}; agreed by {r.AgreedBy} on {r.AgreedOn.ToString("yyyy-MM-dd", ci)}; {state}; last used {(r.LastUsedAt is { } at ? at.ToString("yyyy-MM-dd", ci) : "never")})");
                if (list.Prospect is not null)
                    await output.WriteLineAsync($"    score {r.Score}: {string.Join("; ", r.Reasons)}");
            }
        }, cancellationToken));
        command.Subcommands.Add(Consent());
        return command;
    }

    static Command Consent()
    {
        var database = new DatabaseOptions();
        var account = new Argument<string>("ACCOUNT") { Description = "The account (its id, name or domain)" };
        var agreedBy = new Option<string>("--agreed-by") { Description = "Who agreed, as they signed or said it", Required = true, HelpName = "NAME" };
        var on = new Option<string?>("--on") { Description = "The day they agreed (default: today)", HelpName = "YYYY-MM-DD" };
        var call = new Option<bool>("--call") { Description = "They take reference calls" };
        var logo = new Option<bool>("--logo") { Description = "Their logo may be shown" };
        var caseStudy = new Option<bool>("--case-study") { Description = "They agreed to a case study" };
        var command = new Command("consent", "Record an account's consent to be a reference: who agreed, when, and to what.") { account, agreedBy, on, call, logo, caseStudy };
        database.AddTo(command);
        command.SetAction(async (result, cancellationToken) => await WorkspaceAction.RunAsync(result, database, async workspace =>
        {
            var db = workspace.Db;
            var id = await AccountIdAsync(db, result.GetValue(account), "account", cancellationToken);
            DateOnly? day = null;
            if (result.GetValue(on) is { } text)
                day = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
                    : throw new InputException("on", $"'{text}' is not a date such as 2026-09-01.");
            var input = new ReferenceInput { AgreedBy = result.GetValue(agreedBy), AgreedOn = day, Call = result.GetValue(call), Logo = result.GetValue(logo), CaseStudy = result.GetValue(caseStudy) };
            var target = await db.Accounts.FirstAsync(a => a.Id == id, cancellationToken);
            var reference = await input.ApplyAsync(db, target, cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"{target.Name} is a reference: {ReferencePool.Words(reference.Kinds)}, agreed by {reference.AgreedBy} on {reference.AgreedOn:yyyy-MM-dd}.");
        }, cancellationToken));
        return command;
    }

    // An account named at the console: its id, its exact name (any case) or its domain.
    static async Task<Guid?> AccountIdAsync(ReachDb db, string? text, string field, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var t = text.Trim();
        if (Guid.TryParse(t, out var id) && await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
            return id;
        var lower = t.ToLowerInvariant();
        var domain = Reach.Accounts.Account.NormaliseDomain(t);
        var found = await db.Accounts.Where(a => a.Name.ToLower() == lower || a.Domain == domain).Select(a => a.Id).Take(2).ToListAsync(cancellationToken);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new InputException(field, $"No account is named '{t}' or has that domain or id."),
            _ => throw new InputException(field, $"More than one account is named '{t}'; give its id or domain."),
        };
    }
}
