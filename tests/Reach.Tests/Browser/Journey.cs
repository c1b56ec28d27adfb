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

    /// <summary>Signs a demo user in with the demo password, from the sign-in page <paramref name="path"/> sends them to
    /// (it brings them back there).</summary>
    public static async Task SignInAsync(IPage page, string email, string path = "/")
    {
        await page.GotoAsync(path);
        Assert.Contains("/sign-in", page.Url);
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoCommand.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Waits for the signed-in layout, not a load event: the page can finish loading before a wait for it starts,
        // and on a busy machine that wait then never ends.
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }
}
