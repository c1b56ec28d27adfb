using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;
using Xunit;

namespace Reach.Tests.Infrastructure;

/// <summary>
/// The real mail servers on 127.0.0.1 that .ci/run starts (.ci/mail/start): an SMTP server (aiosmtpd)
/// that delivers every message into one Dovecot IMAP mailbox. REACH_TEST_SMTP is host:port,
/// REACH_TEST_IMAP is host:port;user;password. Tests skip without them locally and fail in CI.
/// </summary>
public sealed class MailServers
{
    public const string SmtpVariable = "REACH_TEST_SMTP";
    public const string ImapVariable = "REACH_TEST_IMAP";

    public required string SmtpHost { get; init; }
    public required int SmtpPort { get; init; }
    public required string ImapHost { get; init; }
    public required int ImapPort { get; init; }
    public required string User { get; init; }
    public required string Password { get; init; }

    /// <summary>The servers, or a skip of the calling test with the reason (never in CI).</summary>
    public static MailServers Require()
    {
        var smtp = Environment.GetEnvironmentVariable(SmtpVariable);
        var imap = Environment.GetEnvironmentVariable(ImapVariable);
        if (string.IsNullOrEmpty(smtp) || string.IsNullOrEmpty(imap))
        {
            if (Environment.GetEnvironmentVariable("CI") is "true" or "1")
                throw new InvalidOperationException($"{SmtpVariable} and {ImapVariable} are not set in CI: .ci/run must start the mail servers (.ci/mail/start).");
            Assert.Skip($"Mail tests skipped: run eval \"$(.ci/mail/start)\" to start Dovecot and aiosmtpd on 127.0.0.1 and set {SmtpVariable} and {ImapVariable}.");
        }
        var (smtpHost, smtpPort) = HostPort(smtp!);
        var parts = imap!.Split(';');
        var (imapHost, imapPort) = HostPort(parts[0]);
        return new MailServers { SmtpHost = smtpHost, SmtpPort = smtpPort, ImapHost = imapHost, ImapPort = imapPort, User = parts[1], Password = parts[2] };
    }

    static (string, int) HostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    async Task<ImapClient> OpenAsync()
    {
        var imap = new ImapClient();
        await imap.ConnectAsync(ImapHost, ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(User, Password);
        return imap;
    }

    /// <summary>The messages in the mailbox sent to <paramref name="recipient"/>.</summary>
    public async Task<List<MimeMessage>> ReceivedByAsync(string recipient)
    {
        using var imap = await OpenAsync();
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var found = new List<MimeMessage>();
        foreach (var uid in await imap.Inbox.SearchAsync(SearchQuery.ToContains(recipient)))
            found.Add(await imap.Inbox.GetMessageAsync(uid));
        await imap.DisconnectAsync(true);
        return found;
    }

    /// <summary>Drops a message into the mailbox, as if it had arrived (a prospect's reply).</summary>
    public async Task DeliverAsync(MimeMessage message)
    {
        using var imap = await OpenAsync();
        await imap.Inbox.AppendAsync(message);
        await imap.DisconnectAsync(true);
    }

    /// <summary>Drops messages into the mailbox as if they had arrived at <paramref name="arrivedAt"/> (mail older than a test).</summary>
    public async Task DeliverAsync(IEnumerable<MimeMessage> messages, DateTimeOffset arrivedAt)
    {
        using var imap = await OpenAsync();
        foreach (var message in messages)
            await imap.Inbox.AppendAsync(message, MessageFlags.None, arrivedAt);
        await imap.DisconnectAsync(true);
    }

    /// <summary>A second SMTP server of our own (same script as CI's) that a test may stop and start again.</summary>
    public SmtpProcess StartOwnSmtp() => new(this);

    public sealed class SmtpProcess : IDisposable
    {
        readonly MailServers servers;
        Process? process;

        public int Port { get; }

        internal SmtpProcess(MailServers servers)
        {
            this.servers = servers;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }
            Start();
        }

        public void Start()
        {
            var script = Path.Combine(RepositoryRoot(), ".ci", "mail", "smtp_to_imap.py");
            process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, $"127.0.0.1:{Port}", $"{servers.ImapHost}:{servers.ImapPort}", servers.User, servers.Password])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            for (var i = 0; i < 100; i++)
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, Port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }
            throw new InvalidOperationException($"The test SMTP server did not start: {process.StandardError.ReadToEnd()}");
        }

        public void Stop()
        {
            if (process is null)
                return;
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            process = null;
        }

        public void Dispose() => Stop();

        static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Reach.slnx")))
                    return dir.FullName;
            throw new InvalidOperationException("Reach.slnx not found above the test binaries.");
        }
    }
}
