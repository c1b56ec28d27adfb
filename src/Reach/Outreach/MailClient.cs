using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Reach.Outreach;

/// <summary>A message read from a mailbox, with its IMAP UID.</summary>
public sealed record ReceivedMail(uint Uid, MimeMessage Message);

/// <summary>What a poll of the INBOX found since the last one; <paramref name="ReadUpTo"/> is the highest UID looked at
/// (messages skipped as older than the account are past it too).</summary>
public sealed record MailboxBatch(uint UidValidity, IReadOnlyList<ReceivedMail> Messages, uint ReadUpTo);

/// <summary>The mail seam: sends over the user's SMTP server and reads their INBOX over IMAP (MailKit).</summary>
public sealed class MailClient(MailSecrets secrets, MailHosts hosts)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public async Task SendAsync(MailAccount account, MimeMessage message, CancellationToken cancellationToken)
    {
        using var smtp = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        await smtp.ConnectAsync(await hosts.ConnectAsync(account.SmtpHost, account.SmtpPort, imap: false, Timeout, cancellationToken), account.SmtpHost, account.SmtpPort, Options(account.SmtpSecurity), cancellationToken);
        if (account.SmtpUser is not null)
            await smtp.AuthenticateAsync(account.SmtpUser, secrets.Unprotect(account.SmtpPasswordProtected) ?? "", cancellationToken);
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>Connects (and signs in) to the SMTP server and, when set, the IMAP mailbox; says what worked, or throws with why not.</summary>
    public async Task<string> TestAsync(MailAccount account, CancellationToken cancellationToken)
    {
        string step = $"SMTP {account.SmtpHost}:{account.SmtpPort}";
        try
        {
            using (var smtp = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds })
            {
                await smtp.ConnectAsync(await hosts.ConnectAsync(account.SmtpHost, account.SmtpPort, imap: false, Timeout, cancellationToken), account.SmtpHost, account.SmtpPort, Options(account.SmtpSecurity), cancellationToken);
                if (account.SmtpUser is not null)
                    await smtp.AuthenticateAsync(account.SmtpUser, secrets.Unprotect(account.SmtpPasswordProtected) ?? "", cancellationToken);
                await smtp.DisconnectAsync(true, cancellationToken);
            }
            var said = $"SMTP {account.SmtpHost}:{account.SmtpPort} accepted the connection{(account.SmtpUser is null ? "" : " and the sign-in")}.";
            if (!account.HasImap)
                return said + " No IMAP mailbox is set, so replies are not detected.";
            step = $"IMAP {account.ImapHost}:{account.ImapPort}";
            using var imap = await OpenImapAsync(account, cancellationToken);
            var inbox = imap.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            var count = inbox.Count;
            await imap.DisconnectAsync(true, cancellationToken);
            return $"{said} IMAP {account.ImapHost}:{account.ImapPort} signed in; the INBOX holds {count} message(s).";
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new MailConnectionException($"{step}: {Describe(error)}", error);
        }
    }

    /// <summary>Messages in the INBOX after <see cref="MailAccount.ImapLastUid"/> (all since the account was connected after a UIDVALIDITY change),
    /// at most <see cref="BatchSize"/> a poll.</summary>
    public async Task<MailboxBatch> FetchNewAsync(MailAccount account, CancellationToken cancellationToken)
    {
        using var imap = await OpenImapAsync(account, cancellationToken);
        var inbox = imap.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var since = inbox.UidValidity == account.ImapUidValidity ? account.ImapLastUid : 0;
        // A mailbox connected today holds years of mail: only what arrived since the account was connected is read.
        // IMAP's SINCE counts whole days, so the first poll also drops, by arrival time, what came in before the
        // account existed (it cannot answer mail the account sent); a few minutes' grace covers the two clocks disagreeing.
        var query = SearchQuery.Uids(new UniqueIdRange(new UniqueId(since + 1), UniqueId.MaxValue))
            .And(SearchQuery.DeliveredAfter(account.CreatedAt.Date.AddDays(-1)));
        var fresh = (await inbox.SearchAsync(query, cancellationToken)).Where(u => u.Id > since).OrderBy(u => u.Id).ToList();
        var readUpTo = fresh.Count > 0 ? fresh[^1].Id : since;
        if (since == 0 && fresh.Count > 0)
        {
            var connected = new DateTimeOffset(DateTime.SpecifyKind(account.CreatedAt, DateTimeKind.Utc)).AddMinutes(-5);
            var arrivals = await inbox.FetchAsync(fresh, MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate, cancellationToken);
            var late = arrivals.Where(m => m.InternalDate is not { } arrived || arrived >= connected).Select(m => m.UniqueId.Id).ToHashSet();
            fresh = fresh.Where(u => late.Contains(u.Id)).ToList();
        }
        if (fresh.Count > BatchSize)
            (fresh, readUpTo) = (fresh[..BatchSize], fresh[BatchSize - 1].Id);
        var messages = new List<ReceivedMail>();
        foreach (var uid in fresh)
            messages.Add(new ReceivedMail(uid.Id, await inbox.GetMessageAsync(uid, cancellationToken)));
        await imap.DisconnectAsync(true, cancellationToken);
        return new MailboxBatch(inbox.UidValidity, messages, readUpTo);
    }

    const int BatchSize = 500;

    async Task<ImapClient> OpenImapAsync(MailAccount account, CancellationToken cancellationToken)
    {
        var imap = new ImapClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await imap.ConnectAsync(await hosts.ConnectAsync(account.ImapHost ?? "", account.ImapPort, imap: true, Timeout, cancellationToken), account.ImapHost ?? "", account.ImapPort, Options(account.ImapSecurity), cancellationToken);
            await imap.AuthenticateAsync(account.ImapUser ?? "", secrets.Unprotect(account.ImapPasswordProtected) ?? "", cancellationToken);
            return imap;
        }
        catch
        {
            imap.Dispose();
            throw;
        }
    }

    static SecureSocketOptions Options(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>A mail error in words for the step's status line.</summary>
    public static string Describe(Exception error) => error switch
    {
        SmtpCommandException smtp => $"the server refused ({(int)smtp.StatusCode}): {smtp.Message.Trim()}",
        SmtpProtocolException protocol => $"the SMTP conversation failed: {protocol.Message}",
        AuthenticationException auth => $"sign-in refused: {auth.Message}",
        System.Net.Sockets.SocketException socket => $"cannot connect: {socket.Message}",
        IOException io => $"the connection broke: {io.Message}",
        TimeoutException => "the server did not answer in time",
        _ => error.Message,
    };
}

public sealed class MailConnectionException(string message, Exception inner) : Exception(message, inner);
