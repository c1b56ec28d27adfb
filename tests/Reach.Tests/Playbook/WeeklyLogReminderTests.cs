using System.Net;
using System.Text.RegularExpressions;
using Reach.Data;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Playbook;

/// <summary>
/// My day reminds a rep to write the week's log on Friday and the weekend after, until it is written; on the server's
/// clock, moved from the Wednesday it starts on (this class has a server of its own).
/// </summary>
public abstract partial class WeeklyLogReminderTests(ReachServer server)
{
    const string Password = "violet tractor under the lamp";
    const string Reminder = "data-testid=\"weekly-log-reminder\"";

    async Task<string> MyDayAsync(string email)
    {
        // Signed in afresh each time: the clock jumps days between two looks.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var token = AntiforgeryToken().Match(await browser.GetStringAsync("/sign-in")).Groups[1].Value;
        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("email", email), new("password", Password)]);
        var signIn = await browser.PostAsync("/sign-in", form);
        Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, await signIn.Content.ReadAsStringAsync());
        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [Fact]
    public async Task MyDayRemindsARepOnFridayOnlyUntilTheWeeksLogIsWritten()
    {
        _ = server.Http;
        var (writer, writerToken) = await server.AddUserAsync(UserRole.Rep, "Writing Rep", password: Password);
        var (forgetter, _) = await server.AddUserAsync(UserRole.Rep, "Forgetful Rep", password: Password);
        var (manager, _) = await server.AddUserAsync(UserRole.Manager, "Team Manager", password: Password);
        using var writerHttp = server.NewClient(writerToken);
        Assert.Equal(DayOfWeek.Wednesday, server.Clock.UtcNow.DayOfWeek);

        Assert.DoesNotContain(Reminder, await MyDayAsync(forgetter.Email!), StringComparison.Ordinal);

        server.Clock.Jump(TimeSpan.FromDays(2));
        Assert.Equal(DayOfWeek.Friday, server.Clock.UtcNow.DayOfWeek);
        var friday = await MyDayAsync(writer.Email!);
        Assert.Contains(Reminder, friday, StringComparison.Ordinal);
        Assert.Contains("href=\"/Playbook/Week\"", friday, StringComparison.Ordinal);
        // A manager writes no log of their own: the reminder is a rep's.
        Assert.DoesNotContain(Reminder, await MyDayAsync(manager.Email!), StringComparison.Ordinal);

        var written = await writerHttp.PutAsync("/api/v1/weekly-logs/mine", Json.Body(new { worked = "Calling before nine" }));
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        Assert.DoesNotContain(Reminder, await MyDayAsync(writer.Email!), StringComparison.Ordinal);
        Assert.Contains(Reminder, await MyDayAsync(forgetter.Email!), StringComparison.Ordinal);

        // The weekend after still belongs to the week; the Monday starts a new one, not yet to be written.
        server.Clock.Jump(TimeSpan.FromDays(1));
        Assert.Contains(Reminder, await MyDayAsync(forgetter.Email!), StringComparison.Ordinal);
        server.Clock.Jump(TimeSpan.FromDays(2));
        Assert.Equal(DayOfWeek.Monday, server.Clock.UtcNow.DayOfWeek);
        Assert.DoesNotContain(Reminder, await MyDayAsync(forgetter.Email!), StringComparison.Ordinal);
    }
}

public sealed class WeeklyLogReminderOnSqliteTests(SqliteServer server) : WeeklyLogReminderTests(server), IClassFixture<SqliteServer>;

public sealed class WeeklyLogReminderOnPostgresTests(PostgresServer server) : WeeklyLogReminderTests(server), IClassFixture<PostgresServer>;
