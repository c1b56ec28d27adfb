using Microsoft.Playwright;
using Reach.Tests.Coaching;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>The email coach in a real browser (the patterns of <see cref="WebAppTests"/>): it scores the seed's emails as they are typed.</summary>
public abstract class CoachPageTests(ReachServer server)
{
    Task InBrowserAsync(string name, Func<IPage, Task> journey, ViewportSize? viewport = null) => Journey.RunAsync(server, name, journey, viewport);

    static Task SnapshotAsync(IPage page, string name) => Journey.SnapshotAsync(page, name);

    static Task SignInAsync(IPage page, string email) => Journey.SignInAsync(page, email);

    [Fact]
    public async Task ARepTypesTheBadEmailSeesWhatToFixThenTheBetterOnePasses()
    {
        await InBrowserAsync("coach", async page =>
        {
            await SignInAsync(page, "claire@reach.demo");
            await page.GetByRole(AriaRole.Link, new() { Name = "Coach" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Email coach" })).ToBeVisibleAsync();
            var count = page.Locator(".coach-count");
            await Assertions.Expect(count).ToHaveTextAsync("400 characters left");

            var body = page.GetByLabel("Email", new() { Exact = true });
            await page.GetByLabel("Subject").FillAsync("Partnership");
            await body.PressSequentiallyAsync("Hi John, ");
            await Assertions.Expect(count).ToHaveTextAsync("392 characters left");

            await body.FillAsync(EmailCoachTests.BadEmail);
            await Assertions.Expect(count).ToHaveTextAsync($"{EmailCoachTests.BadEmail.Length - 400} characters over");
            await Assertions.Expect(page.Locator(".coach-score")).ToContainTextAsync("Rewrite it");
            var findings = page.Locator("ol.coach-findings li");
            await Assertions.Expect(findings).ToHaveCountAsync(8);
            await Assertions.Expect(findings.Filter(new() { HasText = "Ask 2 of 3 in one email." })).ToContainTextAsync("One email per ask — split it");
            await Assertions.Expect(findings.Filter(new() { HasText = "Deferential: \"I know that you are extremely busy\"." })).ToHaveCountAsync(1);
            await Assertions.Expect(findings.Filter(new() { HasText = "Deferential: \"It would be greatly appreciated\"." })).ToHaveCountAsync(1);
            await Assertions.Expect(findings.Filter(new() { HasText = "About 14 lines on a phone" })).ToHaveCountAsync(1);
            var regards = findings.Filter(new() { HasText = "Formal padding: \"Kind Regards\"." });
            await Assertions.Expect(regards).ToContainTextAsync("Sign off with \"Thx\" or just your name.");
            // The marked draft shows the spans: the padding is marked as itself.
            await Assertions.Expect(page.Locator(".coach-marked mark[data-rules~='formal']").Last).ToHaveTextAsync("Kind Regards");
            await Assertions.Expect(page.Locator(".coach-marked mark[data-rules~='deferential']").First).ToHaveTextAsync("I know that you are extremely busy");
            await SnapshotAsync(page, "coach-bad-email");

            // "Show" selects the finding's span in the editor.
            await regards.GetByRole(AriaRole.Button, new() { Name = "Select it in the body" }).ClickAsync();
            var selected = await body.EvaluateAsync<string>("e => e.value.substring(e.selectionStart, e.selectionEnd)");
            Assert.Equal("Kind Regards", selected);

            await body.FillAsync(EmailCoachTests.BetterEmail);
            await Assertions.Expect(count).ToHaveTextAsync($"{400 - EmailCoachTests.BetterEmail.Length} characters left");
            await Assertions.Expect(page.Locator(".coach-score")).ToHaveTextAsync("100 / 100 · Ready to send");
            await Assertions.Expect(findings).ToHaveTextAsync(["Nothing to fix: short, one ask, a reason, written as a peer."]);
            await Assertions.Expect(page.Locator(".coach-marked mark")).ToHaveCountAsync(0);
            await SnapshotAsync(page, "coach-better-email");
        });
    }

    [Fact]
    public async Task AnyTextareaMarkedDataCoachIsCoachedEvenWhenAddedLater()
    {
        await InBrowserAsync("coach-hook", async page =>
        {
            await SignInAsync(page, "claire@reach.demo");
            await page.GotoAsync("/Coach");
            // As another page would (a sequence step's template): a form with a textarea[data-coach], no panel of its own.
            await page.EvaluateAsync("""
                () => {
                  const form = document.createElement('form');
                  form.method = 'post';
                  form.innerHTML = '<label for="step">Step template</label><textarea id="step" data-coach></textarea>';
                  document.querySelector('main').append(form);
                }
                """);
            var step = page.GetByLabel("Step template");
            await step.FillAsync("Dear John, I hope this email finds you well. Could you send the order form?");

            var panel = page.Locator("#step + .coach-panel");
            await Assertions.Expect(panel.Locator(".coach-count")).ToHaveTextAsync("325 characters left");
            await Assertions.Expect(panel.Locator("ol.coach-findings li")).ToHaveCountAsync(3);
            await Assertions.Expect(panel.Locator(".coach-marked mark").First).ToHaveTextAsync("Dear");
            await Assertions.Expect(panel).ToContainTextAsync("An ask without a reason.");
        });
    }

    [Fact]
    public async Task OnAPhoneSizedScreenTheCoachSitsUnderTheEditor()
    {
        await InBrowserAsync("coach-phone", async page =>
        {
            await SignInAsync(page, "claire@reach.demo");
            await page.GotoAsync("/Coach");
            await page.GetByLabel("Email", new() { Exact = true }).FillAsync("Excuse me, I have five pages. May I use the Xerox machine?");
            await Assertions.Expect(page.Locator("ol.coach-findings li")).ToContainTextAsync("An ask without a reason.");
            await Assertions.Expect(page.Locator(".coach-marked mark")).ToHaveTextAsync("May I use the Xerox machine?");
            await SnapshotAsync(page, "coach-phone");
        }, new ViewportSize { Width = 390, Height = 844 });
    }
}

public sealed class CoachPageOnSqliteTests(SqliteBrowserServer server) : CoachPageTests(server), IClassFixture<SqliteBrowserServer>;

public sealed class CoachPageOnPostgresTests(PostgresBrowserServer server) : CoachPageTests(server), IClassFixture<PostgresBrowserServer>;
