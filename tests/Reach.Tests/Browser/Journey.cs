using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Reach.Cli.Commands;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Browser;

/// <summary>What every browser journey does: a fresh page, a screenshot on failure, pictures for review, the demo sign-in.</summary>
public static class Journey
{
    public static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Runs <paramref name="journey"/> on a new page of <paramref name="server"/>; a failure leaves <c>screenshots/NAME.png</c>.</summary>
    public static async Task RunAsync(ReachServer server, string name, Func<IPage, Task> journey, ViewportSize? viewport = null)
    {
        var page = await ((IBrowserServer)server).Browser.NewPageAsync(server, viewport);
        try
        {
            await journey(page);
        }
        catch (Exception e) when (e is not Xunit.Sdk.SkipException)
        {
            Directory.CreateDirectory(Screenshots);
            var file = Path.Combine(Screenshots, name + ".png");
            await page.ScreenshotAsync(new() { Path = file, FullPage = true });
            throw new InvalidOperationException($"{e.Message} (screenshot: {file}, at {page.Url})", e);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Pictures of the pages as a person sees them, kept for review beside the failure screenshots.</summary>
    public static async Task SnapshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    /// <summary>Signs a demo user in with the demo password (or a user of the test with theirs), from the sign-in page <paramref name="path"/> sends them to
    /// (it brings them back there).</summary>
    public static async Task SignInAsync(IPage page, string email, string path = "/", string password = DemoCommand.DemoPassword)
    {
        await page.GotoAsync(path);
        Assert.Contains("/sign-in", page.Url);
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Polls the address and then the signed-in layout, never a navigation or load event: on a busy machine the
        // redirect can be over before such a wait starts (WaitForURL with Commit then waits for a state that never comes).
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/sign-in"));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }
}
