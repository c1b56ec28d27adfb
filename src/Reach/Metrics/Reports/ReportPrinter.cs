using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reach.Metrics.Reports;

/// <summary>
/// Prints a report's HTML page to PDF with headless Chromium (QuestPDF is not available here). The page is
/// self-contained, so Chromium loads nothing from the network.
/// <para>
/// Starting Chromium is most of a print's time (seconds, tens of seconds on a busy machine: what made a quarter's PDF
/// take 26–48 s when every print started a browser with a fresh profile). So one headless Chromium is started the
/// first time a process prints and kept: each print opens a tab over the DevTools protocol, sets the page, prints it
/// (<c>Page.printToPDF</c>) and closes the tab. The browser stops when the process ends or after
/// <see cref="IdleTimeout"/> without a print. docs/benchmarks.md has the figures.
/// </para>
/// </summary>
public static class ReportPrinter
{
    /// <summary>Where Chromium is looked for when configuration (Reach:Chromium) names none.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>A kept browser with no print for this long is stopped (its memory given back).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    static readonly SemaphoreSlim Gate = new(1, 1);
    static Browser? browser;
    static Timer? idle;

    static ReportPrinter() => AppDomain.CurrentDomain.ProcessExit += (_, _) => browser?.Dispose();

    public static async Task PrintAsync(string html, string pdfPath, string? chromium, CancellationToken cancellationToken = default)
    {
        var pdf = await PrintAsync(html, chromium, cancellationToken);
        await File.WriteAllBytesAsync(Path.GetFullPath(pdfPath), pdf, cancellationToken);
    }

    /// <summary>The page printed to PDF (A4 unless the page's CSS says otherwise, backgrounds kept, no header or footer).</summary>
    public static async Task<byte[]> PrintAsync(string html, string? chromium, CancellationToken cancellationToken = default)
    {
        chromium = string.IsNullOrWhiteSpace(chromium) ? DefaultChromium : chromium;
        if (!File.Exists(chromium))
            throw new ReportPrintException($"Cannot print the PDF: Chromium is not at {chromium}. Install it (apt-get install chromium) or set Reach:Chromium (Reach__Chromium) to its path; --html gives the same report as a page.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            idle?.Dispose();
            // A browser that died (or another path asked for) is replaced. A print that fails on a kept browser (its
            // renderer gone, its connection dropped: seen once on a busy CI machine) is tried once more on a fresh one.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    if (browser is null || browser.HasExited || browser.Path != chromium)
                    {
                        browser?.Dispose();
                        browser = null;
                        browser = await Browser.StartAsync(chromium, timeout.Token);
                    }
                    return await browser.PrintAsync(html, timeout.Token);
                }
                catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or CdpException or ReportPrintException
                                          && attempt == 0 && !timeout.IsCancellationRequested)
                {
                    browser?.Dispose();
                    browser = null;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            browser?.Dispose();
            browser = null;
            throw new ReportPrintException($"Chromium did not print the PDF within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (Exception e) when (e is CdpException or IOException or WebSocketException)
        {
            browser?.Dispose();
            browser = null;
            throw new ReportPrintException($"Chromium failed to print the PDF: {e.Message}");
        }
        finally
        {
            idle = new Timer(_ => StopIfIdle(), null, IdleTimeout, System.Threading.Timeout.InfiniteTimeSpan);
            Gate.Release();
        }
    }

    /// <summary>
    /// Starts the kept Chromium now, unless it runs, so that a print asked for later does not wait for it: a command
    /// that prints once (<c>reach report --pdf</c>) starts it while it builds the report, and the two overlap. A
    /// failure is left for the print to meet and report (it starts Chromium again and says why it cannot).
    /// </summary>
    public static async Task StartAsync(string? chromium, CancellationToken cancellationToken = default)
    {
        chromium = string.IsNullOrWhiteSpace(chromium) ? DefaultChromium : chromium;
        if (!File.Exists(chromium))
            return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            idle?.Dispose();
            if (browser is null || browser.HasExited || browser.Path != chromium)
            {
                browser?.Dispose();
                browser = null;
                browser = await Browser.StartAsync(chromium, timeout.Token);
            }
        }
        catch (Exception e) when (e is ReportPrintException or IOException or WebSocketException or OperationCanceledException)
        {
            browser?.Dispose();
            browser = null;
        }
        finally
        {
            idle = new Timer(_ => StopIfIdle(), null, IdleTimeout, System.Threading.Timeout.InfiniteTimeSpan);
            Gate.Release();
        }
    }

    static void StopIfIdle()
    {
        if (!Gate.Wait(0))
            return;
        try
        {
            browser?.Dispose();
            browser = null;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>One headless Chromium and its DevTools connection (a WebSocket on a loopback port it chose).</summary>
    sealed class Browser : IDisposable
    {
        readonly Process process;
        readonly DirectoryInfo profile;
        readonly ClientWebSocket socket = new();
        readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> pending = new();
        readonly ConcurrentDictionary<(string Session, string Method), TaskCompletionSource<JsonNode>> events = new();
        readonly CancellationTokenSource stop = new();
        int nextId;

        Browser(string path, Process process, DirectoryInfo profile) => (Path, this.process, this.profile) = (path, process, profile);

        public string Path { get; }

        public bool HasExited => process.HasExited || socket.State != WebSocketState.Open;

        public static async Task<Browser> StartAsync(string chromium, CancellationToken cancellationToken)
        {
            var profile = Directory.CreateTempSubdirectory("reach-chromium-");
            var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--disable-default-apps", "--mute-audio", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                         $"--user-data-dir={profile.FullName}", "about:blank"])
                start.ArgumentList.Add(argument);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new ReportPrintException($"Cannot start {chromium}.");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                profile.Delete(recursive: true);
                throw new ReportPrintException($"Cannot start {chromium}: {e.Message}");
            }
            var browser = new Browser(chromium, process, profile);
            try
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                // Chromium says where its DevTools listen on its first lines of standard error.
                var errors = new StringBuilder();
                string? address = null;
                while (address is null && await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith("DevTools listening on ", StringComparison.Ordinal))
                        address = line["DevTools listening on ".Length..].Trim();
                    else if (errors.Length < 2000)
                        errors.AppendLine(line);
                }
                if (address is null)
                    throw new ReportPrintException($"Chromium failed to start (exit {(process.HasExited ? process.ExitCode : -1)}): {errors.ToString().Trim()}");
                // Keep reading its standard error so a full pipe never blocks it.
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                await browser.socket.ConnectAsync(new Uri(address), cancellationToken);
                _ = Task.Run(browser.ReceiveAsync, CancellationToken.None);
                return browser;
            }
            catch
            {
                browser.Dispose();
                throw;
            }
        }

        public async Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken)
        {
            var target = (string)(await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancellationToken))["targetId"]!;
            try
            {
                var session = (string)(await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }, null, cancellationToken))["sessionId"]!;
                await SendAsync("Page.enable", [], session, cancellationToken);
                // The page is loaded from a file in the browser's own temp profile, and printed once its load event has
                // fired (setting the document's content fires none: a print would wait on a guess).
                var page = System.IO.Path.Combine(profile.FullName, $"report-{Guid.NewGuid():N}.html");
                await File.WriteAllTextAsync(page, html, cancellationToken);
                try
                {
                    var loaded = events.GetOrAdd((session, "Page.loadEventFired"), _ => new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously));
                    await SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(page).AbsoluteUri }, session, cancellationToken);
                    await loaded.Task.WaitAsync(cancellationToken);
                    events.TryRemove((session, "Page.loadEventFired"), out _);
                }
                finally
                {
                    File.Delete(page);
                }
                var printed = await SendAsync("Page.printToPDF", new JsonObject
                {
                    ["printBackground"] = true,
                    ["displayHeaderFooter"] = false,
                    ["preferCSSPageSize"] = true,
                    ["paperWidth"] = 8.27,
                    ["paperHeight"] = 11.69,
                }, session, cancellationToken);
                return Convert.FromBase64String((string)printed["data"]!);
            }
            finally
            {
                try
                {
                    await SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = target }, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
                }
                catch (Exception e) when (e is CdpException or WebSocketException or TimeoutException or ObjectDisposedException)
                {
                    // The tab goes with the browser if that is what failed.
                }
            }
        }

        async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? session, CancellationToken cancellationToken)
        {
            var id = Interlocked.Increment(ref nextId);
            var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[id] = reply;
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
            if (session is not null)
                message["sessionId"] = session;
            try
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
                return await reply.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                pending.TryRemove(id, out _);
            }
        }

        async Task ReceiveAsync()
        {
            var buffer = new byte[1 << 16];
            using var message = new MemoryStream();
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var part = await socket.ReceiveAsync(buffer, stop.Token);
                    if (part.MessageType == WebSocketMessageType.Close)
                        break;
                    message.Write(buffer, 0, part.Count);
                    if (!part.EndOfMessage)
                        continue;
                    var node = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length));
                    message.SetLength(0);
                    if (node?["id"] is { } id && pending.TryGetValue((int)id, out var reply))
                    {
                        if (node["error"] is { } error)
                            reply.TrySetException(new CdpException((string?)error["message"] ?? error.ToJsonString()));
                        else
                            reply.TrySetResult(node["result"] ?? new JsonObject());
                    }
                    else if (node?["method"] is { } method && events.TryGetValue(((string?)node["sessionId"] ?? "", (string)method!), out var waiter))
                        waiter.TrySetResult(node["params"] ?? new JsonObject());
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or JsonException or ObjectDisposedException)
            {
                // The browser went away: every waiting call fails below.
            }
            foreach (var reply in pending.Values)
                reply.TrySetException(new IOException("Chromium closed its DevTools connection."));
        }

        public void Dispose()
        {
            stop.Cancel();
            socket.Dispose();
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped.
            }
            process.Dispose();
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium's last writes may race the delete; the temp directory is the system's to clear.
            }
        }
    }

    sealed class CdpException(string message) : Exception(message);
}

/// <summary>The PDF could not be printed; the message says why and what to do.</summary>
public sealed class ReportPrintException(string message) : Exception(message);
